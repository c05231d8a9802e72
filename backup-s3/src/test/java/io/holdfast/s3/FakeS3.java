package io.holdfast.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted HTTP server on 127.0.0.1 that answers S3 requests the way a test needs (a 503, a 501),
 * and records what it was asked. Not an S3 implementation.
 */
final class FakeS3 implements AutoCloseable {

  /** What the server answers to one request. */
  record Answer(int status, String errorCode, String message) {
    static Answer ok() {
      return new Answer(200, null, null);
    }
  }

  /** One request as the server saw it: method, path, and whether it carried If-None-Match. */
  record Seen(String method, String path, boolean ifNoneMatch) {}

  interface Script {
    Answer answer(Seen request);
  }

  private final HttpServer server;
  final List<Seen> seen = new CopyOnWriteArrayList<>();

  FakeS3(Script script) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> handle(exchange, script));
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange, Script script) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      Seen request = new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
          exchange.getRequestHeaders().containsKey("If-None-Match"));
      seen.add(request);
      Answer answer = script.answer(request);
      exchange.getResponseHeaders().add("x-amz-request-id", "fake-request");
      if (answer.status() == 200) {
        exchange.getResponseHeaders().add("ETag", "\"0123456789abcdef0123456789abcdef\"");
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      boolean head = request.method().equals("HEAD");
      byte[] body = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + answer.errorCode()
          + "</Code><Message>" + answer.message() + "</Message><RequestId>fake-request</RequestId></Error>")
          .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/xml");
      exchange.sendResponseHeaders(answer.status(), head ? -1 : body.length);
      if (!head) {
        exchange.getResponseBody().write(body);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
