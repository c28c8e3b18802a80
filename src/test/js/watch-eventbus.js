// A real SockJS + Vert.x event-bus client (the npm packages the page uses). Usage:
//   node watch-eventbus.js <http://host:port/eventbus> <address> <camera_id> [seconds]
// Prints the first message on <address> whose body has that camera_id, as JSON, and exits 0; exits 1 on timeout.
const EventBus = require('@vertx/eventbus-bridge-client.js');
const [url, address, camera, seconds] = process.argv.slice(2);
const eb = new EventBus(url);
const timer = setTimeout(() => { console.error('timeout waiting on ' + address); process.exit(1); }, (Number(seconds) || 60) * 1000);
eb.onopen = () => {
  console.error('open');
  eb.registerHandler(address, (err, msg) => {
    if (!err && msg.body && msg.body.camera_id === camera) {
      console.log(JSON.stringify(msg.body));
      clearTimeout(timer);
      process.exit(0);
    }
  });
};
