package dev.argus.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** HTTPS from a PEM certificate and key: a self-signed pair made here with openssl. */
class TlsIT {
  @TempDir
  Path dir;

  /** A client that trusts exactly that certificate (and verifies the host name against it). */
  private static HttpClient trusting(Path cert) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(cert)) {
      trust.setCertificateEntry("argus", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).build();
  }

  @Test
  void theGatewayServesHttpsFromPemFilesAndTakesFramesOverIt() throws Exception {
    SelfSigned pair = SelfSigned.in(dir);
    try (Gateway gw = Gateway.start(Gateway.onTestKafka().put("http", new JsonObject()
        .put("tls", new JsonObject().put("certPath", pair.cert().toString()).put("keyPath", pair.key().toString()))))) {
      HttpClient client = trusting(pair.cert());
      String base = "https://127.0.0.1:" + gw.port;
      HttpResponse<String> health = Http.send(client, "GET", base + "/health", null);
      assertEquals(200, health.statusCode(), health.body());
      assertEquals(202, Http.send(client, "POST", base + "/api/v1/detections", Http.frame("tls-1")).statusCode());
      assertThrows(Exception.class, () -> Http.get(gw.port, "/health"), "plain HTTP must not be answered");
    }
  }
}
