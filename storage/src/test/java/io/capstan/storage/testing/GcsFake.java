package io.capstan.storage.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;

/**
 * The Google Cloud Storage JSON API endpoints the real google-cloud-storage client calls for
 * objects: multipart and resumable uploads, metadata, media download, list and delete. Why a fake:
 * no GCS emulator can run on this machine (firebase's downloads a jar when it starts; fake-gcs-server
 * and Google's testbench come from registries not reachable here), and Google's in-process
 * LocalStorageHelper bypasses HTTP. With this the client's real HTTP path runs end to end.
 */
public final class GcsFake implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern OBJECT_PATH = Pattern.compile("^(?:/download)?/storage/v1/b/([^/]+)/o/(.+)$");
  private static final Pattern OBJECTS_PATH = Pattern.compile("^/storage/v1/b/([^/]+)/o/?$");
  private static final Pattern UPLOAD_PATH = Pattern.compile("^/upload/storage/v1/b/([^/]+)/o/?$");

  private final HttpServer server;
  private final Map<String, SortedMap<String, byte[]>> buckets = new ConcurrentHashMap<>();
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger generation = new AtomicInteger();

  private record Upload(String bucket, String name, ByteArrayOutputStream data) {
  }

  public GcsFake() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public void createBucket(String name) {
    buckets.putIfAbsent(name, new TreeMap<>());
  }

  public Set<String> names(String bucket) {
    return Set.copyOf(buckets.getOrDefault(bucket, new TreeMap<>()).keySet());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
      String method = exchange.getRequestMethod();
      byte[] body = exchange.getRequestBody().readAllBytes();
      if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
        body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes(); // the client gzips uploads
      }
      Matcher m;
      if ((m = UPLOAD_PATH.matcher(path)).matches() && method.equals("POST")) {
        upload(exchange, decode(m.group(1)), query, body);
      } else if ((m = UPLOAD_PATH.matcher(path)).matches() && method.equals("PUT")) {
        resumablePart(exchange, query.get("upload_id"), body);
      } else if ((m = OBJECTS_PATH.matcher(path)).matches() && method.equals("GET")) {
        list(exchange, decode(m.group(1)), query.getOrDefault("prefix", ""));
      } else if ((m = OBJECT_PATH.matcher(path)).matches()) {
        object(exchange, method, decode(m.group(1)), decode(m.group(2)), query);
      } else {
        error(exchange, 404, "no such endpoint in the fake: " + method + " " + path);
      }
    } catch (RuntimeException | IOException e) {
      // The JDK's server drops a handler's exception silently: say it where the test output shows it.
      System.err.println("GcsFake: " + exchange.getRequestMethod() + " " + exchange.getRequestURI() + " failed: " + e);
      e.printStackTrace();
      throw e;
    }
  }

  private void upload(HttpExchange exchange, String bucket, Map<String, String> query, byte[] body) throws IOException {
    if (!buckets.containsKey(bucket)) {
      error(exchange, 404, "The specified bucket does not exist.");
      return;
    }
    String type = query.getOrDefault("uploadType", "");
    if (type.equals("media")) {
      store(exchange, bucket, query.get("name"), body);
    } else if (type.equals("multipart")) {
      String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
      String boundary = contentType.replaceAll("(?s).*boundary=\"?([^\";]+)\"?.*", "$1");
      byte[][] parts = multipart(body, boundary);
      String name = query.containsKey("name") ? query.get("name") : jsonName(new String(parts[0], StandardCharsets.UTF_8));
      store(exchange, bucket, name, parts[1]);
    } else if (type.equals("resumable")) {
      String name = query.containsKey("name") ? query.get("name") : jsonName(new String(body, StandardCharsets.UTF_8));
      String id = "u" + ids.incrementAndGet();
      uploads.put(id, new Upload(bucket, name, new ByteArrayOutputStream()));
      exchange.getResponseHeaders().add("Location", endpoint() + "/upload/storage/v1/b/" + bucket
          + "/o?uploadType=resumable&upload_id=" + id);
      exchange.sendResponseHeaders(200, -1);
    } else {
      error(exchange, 400, "uploadType " + type + " is not in the fake");
    }
  }

  private void resumablePart(HttpExchange exchange, String id, byte[] body) throws IOException {
    Upload upload = id == null ? null : uploads.get(id);
    if (upload == null) {
      error(exchange, 404, "no such upload");
      return;
    }
    upload.data.write(body);
    String range = exchange.getRequestHeaders().getFirst("Content-Range");
    boolean complete = range != null && !range.endsWith("/*");
    if (!complete) {
      exchange.getResponseHeaders().add("Range", "bytes=0-" + (upload.data.size() - 1));
      exchange.sendResponseHeaders(308, -1);
      return;
    }
    uploads.remove(id);
    store(exchange, upload.bucket, upload.name, upload.data.toByteArray());
  }

  private void store(HttpExchange exchange, String bucket, String name, byte[] data) throws IOException {
    buckets.get(bucket).put(name, data);
    json(exchange, 200, metadata(bucket, name, data));
  }

  private void list(HttpExchange exchange, String bucket, String prefix) throws IOException {
    SortedMap<String, byte[]> objects = buckets.get(bucket);
    if (objects == null) {
      error(exchange, 404, "The specified bucket does not exist.");
      return;
    }
    String items = objects.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .map(e -> metadata(bucket, e.getKey(), e.getValue())).collect(Collectors.joining(","));
    json(exchange, 200, "{\"kind\":\"storage#objects\",\"items\":[" + items + "]}");
  }

  private void object(HttpExchange exchange, String method, String bucket, String name, Map<String, String> query)
      throws IOException {
    SortedMap<String, byte[]> objects = buckets.get(bucket);
    byte[] data = objects == null ? null : objects.get(name);
    if (method.equals("DELETE")) {
      if (data == null) {
        error(exchange, 404, "No such object: " + bucket + "/" + name);
      } else {
        objects.remove(name);
        exchange.sendResponseHeaders(204, -1);
      }
      return;
    }
    if (data == null) {
      error(exchange, 404, "No such object: " + bucket + "/" + name);
      return;
    }
    if ("media".equals(query.get("alt"))) {
      exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
      exchange.getResponseHeaders().add("x-goog-hash", "crc32c=" + crc32c(data) + ",md5=" + md5(data));
      exchange.getResponseHeaders().add("x-goog-generation", String.valueOf(generation.get()));
      exchange.sendResponseHeaders(200, data.length == 0 ? -1 : data.length);
      exchange.getResponseBody().write(data);
    } else {
      json(exchange, 200, metadata(bucket, name, data));
    }
  }

  private String metadata(String bucket, String name, byte[] data) {
    return "{\"kind\":\"storage#object\",\"id\":\"" + bucket + "/" + escape(name) + "\",\"bucket\":\"" + bucket
        + "\",\"name\":\"" + escape(name) + "\",\"size\":\"" + data.length + "\",\"generation\":\""
        + generation.incrementAndGet() + "\",\"metageneration\":\"1\",\"crc32c\":\"" + crc32c(data)
        + "\",\"md5Hash\":\"" + md5(data) + "\"}";
  }

  private static byte[][] multipart(byte[] body, String boundary) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    byte[][] parts = new byte[2][];
    int start = indexOf(body, delimiter, 0);
    for (int i = 0; i < 2; i++) {
      int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1), start) + 4;
      int next = indexOf(body, ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1), headersEnd);
      parts[i] = Arrays.copyOfRange(body, headersEnd, next);
      start = next + 2;
    }
    return parts;
  }

  private static int indexOf(byte[] data, byte[] pattern, int from) {
    outer:
    for (int i = from; i <= data.length - pattern.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalArgumentException("malformed multipart body");
  }

  private static String jsonName(String json) {
    Matcher m = NAME.matcher(json);
    if (!m.find()) {
      throw new IllegalArgumentException("no object name in " + json);
    }
    return m.group(1).replace("\\/", "/").replace("\\\"", "\"").replace("\\\\", "\\");
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          out.put(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    return out;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String crc32c(byte[] data) {
    CRC32C crc = new CRC32C();
    crc.update(data);
    long v = crc.getValue();
    return Base64.getEncoder().encodeToString(new byte[] {(byte) (v >> 24), (byte) (v >> 16), (byte) (v >> 8), (byte) v});
  }

  private static String md5(byte[] data) {
    try {
      return Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void json(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    json(exchange, status, "{\"error\":{\"code\":" + status + ",\"message\":\"" + escape(message)
        + "\",\"errors\":[{\"message\":\"" + escape(message) + "\",\"domain\":\"global\",\"reason\":\""
        + (status == 404 ? "notFound" : "invalid") + "\"}]}}");
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
