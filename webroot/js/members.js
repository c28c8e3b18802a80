// The members strip under the pipeline: which gateway nodes form the cluster and the partitions each
// owns (GET /api/v1/cluster, every few seconds), and the cluster's stats from every node's snapshot.
import { $, setText, el, getJson } from './dom.js';
import { rememberNodeStats, mergeNodeStats, memberRows } from './cluster.js';

const REFRESH_MS = 5000;
const statsByNode = new Map();

/** argus.stats from any node → the cluster's snapshot (the sum of each live node's newest). */
export function clusterStats(s) {
  return mergeNodeStats(rememberNodeStats(statsByNode, s, Date.now()));
}

function render(view) {
  const rows = memberRows(view);
  setText($('member-count'), rows.length);
  const list = $('member-list');
  list.replaceChildren(...rows.map((r) => {
    const li = el('li', r.self ? 'member self' : 'member');
    li.title = r.id;
    li.append(el('b', null, r.address), el('span', 'muted', ' ' + r.short + (r.self ? ' (this node)' : '') + ' · '),
      el('span', null, r.partitions));
    return li;
  }));
}

/** Polls the members list; a node without the endpoint (404) hides the strip. */
export function startMembers() {
  const box = $('members');
  const load = () => getJson('/api/v1/cluster').then((v) => { box.hidden = false; render(v); })
    .catch((e) => { if (e.status === 404) box.hidden = true; });
  load();
  setInterval(() => { if (!document.hidden) load(); }, REFRESH_MS);
}
