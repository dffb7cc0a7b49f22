package io.capstan.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * The few calls of the Confluent schema registry REST API a serde needs: register a subject's
 * schema (idempotent, returns its id) and fetch a schema by id. Both are cached, so a running
 * producer or consumer asks the registry once per schema.
 */
final class SchemaRegistryClient {

  static final String BASIC_AUTH = "basic.auth.user.info";
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String authorization;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();

  SchemaRegistryClient(String baseUrl, Map<String, ?> configs) {
    this.baseUrl = baseUrl.replaceAll("/+$", "");
    Object userInfo = configs.get(BASIC_AUTH);
    this.authorization = userInfo == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(userInfo.toString().getBytes(StandardCharsets.UTF_8));
  }

  int register(String subject, Schema schema) {
    String key = subject + '\0' + schema.toString();
    return idsBySubjectAndSchema.computeIfAbsent(key, k -> {
      String body = JSON.createObjectNode().put("schema", schema.toString()).toString();
      JsonNode answer = call(request("/subjects/" + subject + "/versions")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build());
      int id = answer.path("id").asInt(-1);
      if (id < 0) {
        throw new SerdeException("schema registry answered no id for subject " + subject);
      }
      schemasById.putIfAbsent(id, schema);
      return id;
    });
  }

  Schema schemaById(int id) {
    return schemasById.computeIfAbsent(id, k -> {
      JsonNode answer = call(request("/schemas/ids/" + id).GET().build());
      return new Schema.Parser().parse(answer.path("schema").asText());
    });
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", CONTENT_TYPE)
        .header("Accept", CONTENT_TYPE);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return builder;
  }

  private JsonNode call(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new SerdeException("schema registry " + request.method() + " " + request.uri().getPath()
            + " answered " + response.statusCode() + ": " + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new SerdeException("schema registry at " + baseUrl + " is unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SerdeException("interrupted while calling the schema registry", e);
    }
  }
}
