package dev.argus.it;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for requests no well-behaved client would send (bad request lines, lying
 * lengths, chunked abuse) and for pipelining many requests on one keep-alive connection. It reads
 * responses with Content-Length or chunked bodies, and tells a closed connection apart from a response.
 */
final class RawHttp implements AutoCloseable {
  /** A response as it came off the wire; {@code status} -1 means the connection ended (or stalled) without one. */
  record Response(int status, Map<String, String> headers, byte[] body, String failure) {
    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }

    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    boolean none() {
      return status < 0;
    }

    static Response missing(String why) {
      return new Response(-1, Map.of(), new byte[0], why);
    }
  }

  private final Socket socket;
  /** Nanoseconds from the start of the last {@link #pipeline} until each response was read. */
  long[] arrivals = new long[0];
  private final InputStream in;
  private final OutputStream out;

  RawHttp(int port, int readTimeoutMs) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(readTimeoutMs);
    in = new BufferedInputStream(socket.getInputStream(), 65536);
    out = socket.getOutputStream();
  }

  /** Writes every request at once (pipelined), then reads as many responses; missing ones say why. */
  List<Response> pipeline(List<byte[]> requests) throws IOException {
    // A separate writer: a server answering early must not deadlock against a client still writing.
    Thread writer = new Thread(() -> {
      try {
        for (byte[] r : requests) out.write(r);
        out.flush();
      } catch (IOException ignored) {
        // the server closed; the reader reports the missing responses
      }
    }, "raw-http-writer");
    writer.setDaemon(true);
    writer.start();
    List<Response> responses = new ArrayList<>(requests.size());
    arrivals = new long[requests.size()];
    long start = System.nanoTime();
    for (int i = 0; i < requests.size(); i++) {
      Response r = read();
      arrivals[i] = System.nanoTime() - start;
      responses.add(r);
      if (r.none()) {
        for (int j = i + 1; j < requests.size(); j++) responses.add(Response.missing("after an earlier missing response"));
        break;
      }
    }
    return responses;
  }

  /** One request, written whole, and its response (or why there was none). */
  Response exchange(byte[] request) {
    try {
      out.write(request);
      out.flush();
    } catch (IOException e) {
      // The server may have answered and closed while we wrote (a refused header block): read what came.
    }
    return read();
  }

  /** Skips interim (1xx) responses; a connection that ends before a whole response is a missing one. */
  Response read() {
    try {
      while (true) {
        String statusLine = line();
        if (statusLine == null) return Response.missing("connection closed before a response");
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) return Response.missing("not a status line: " + statusLine);
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        String h;
        while ((h = line()) != null && !h.isEmpty()) {
          int colon = h.indexOf(':');
          if (colon > 0) headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        if (h == null) return Response.missing("connection closed inside the headers of a " + status);
        if (status >= 100 && status < 200) continue;
        byte[] body;
        String te = headers.get("transfer-encoding");
        String cl = headers.get("content-length");
        if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) body = chunked();
        else if (cl != null) body = exactly(Integer.parseInt(cl));
        else if (status == 204 || status == 304) body = new byte[0];
        else body = in.readAllBytes(); // delimited by close
        return new Response(status, headers, body, null);
      }
    } catch (SocketTimeoutException e) {
      return Response.missing("no response within the read timeout");
    } catch (IOException | RuntimeException e) {
      return Response.missing("broken response: " + e);
    }
  }

  private byte[] chunked() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String size = line();
      if (size == null) throw new IOException("closed inside a chunked body");
      int semi = size.indexOf(';');
      int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
      if (n == 0) {
        String trailer;
        while ((trailer = line()) != null && !trailer.isEmpty()) {
          // trailers ignored
        }
        return body.toByteArray();
      }
      body.write(exactly(n));
      line();
    }
  }

  private byte[] exactly(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) throw new IOException("closed after " + b.length + " of " + n + " body bytes");
    return b;
  }

  /** A CRLF-terminated line in ISO-8859-1, or null at the end of the stream. */
  private String line() throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
        return sb.toString();
      }
      sb.append((char) c);
    }
    return sb.length() == 0 ? null : sb.toString();
  }

  /** Whether the server closed the connection (a read sees the end of the stream). */
  boolean closedByServer(int waitMs) {
    try {
      socket.setSoTimeout(waitMs);
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** A request's bytes: the request line, the headers as given (no Host added), and the body. */
  static byte[] request(String method, String target, List<String[]> headers, byte[] body) {
    StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    for (String[] h : headers) head.append(h[0]).append(": ").append(h[1]).append("\r\n");
    head.append("\r\n");
    byte[] h = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + (body == null ? 0 : body.length)];
    System.arraycopy(h, 0, all, 0, h.length);
    if (body != null) System.arraycopy(body, 0, all, h.length, body.length);
    return all;
  }
}
