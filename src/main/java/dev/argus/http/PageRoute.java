package dev.argus.http;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

/** The web page: static files from {@code webroot} on the class path; mounted last, it takes what is left. */
final class PageRoute {
  void mount(Router router) {
    // Not cached, so a new gateway version's page is picked up on reload.
    router.get("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
  }
}
