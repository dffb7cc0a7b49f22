package io.capstan.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP stand-in for the two schema registry endpoints a serde calls (no registry server can
 * run here): register a schema under a subject, and fetch a schema by id.
 */
final class FakeSchemaRegistry implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, Integer> ids = new ConcurrentHashMap<>();
  private final Map<Integer, String> schemas = new ConcurrentHashMap<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  FakeSchemaRegistry() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(exchange.getRequestMethod() + " " + path);
    if (exchange.getRequestMethod().equals("POST") && path.matches("/subjects/[^/]+/versions")) {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      String schema = body.path("schema").asText();
      int id = ids.computeIfAbsent(schema, s -> ids.size() + 1);
      schemas.put(id, schema);
      respond(exchange, 200, "{\"id\":" + id + "}");
    } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/schemas/ids/")) {
      String schema = schemas.get(Integer.parseInt(path.substring("/schemas/ids/".length())));
      if (schema == null) {
        respond(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
      } else {
        respond(exchange, 200, JSON.createObjectNode().put("schema", schema).toString());
      }
    } else {
      respond(exchange, 404, "{}");
    }
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
