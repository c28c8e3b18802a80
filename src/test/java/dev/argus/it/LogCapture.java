package dev.argus.it;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Every log line of this JVM while open (message and stack trace), with the given loggers at DEBUG. */
final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final List<Logger> debug;
  private final List<Level> before;

  LogCapture(String... debugLoggers) {
    debug = Arrays.stream(debugLoggers).map(n -> (Logger) LoggerFactory.getLogger(n)).toList();
    before = debug.stream().map(Logger::getLevel).toList();
    debug.forEach(l -> l.setLevel(Level.DEBUG));
    setContext(root.getLoggerContext());
    start();
    root.addAppender(this);
  }

  @Override
  protected void append(ILoggingEvent e) {
    String line = e.getLoggerName() + " " + e.getFormattedMessage();
    if (e.getThrowableProxy() != null) line += "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy());
    lines.add(line);
  }

  String all() {
    return String.join("\n", lines);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
    for (int i = 0; i < debug.size(); i++) debug.get(i).setLevel(before.get(i));
  }
}
