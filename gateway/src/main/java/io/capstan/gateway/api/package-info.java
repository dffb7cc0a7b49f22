/**
 * The REST API on a JDK {@code HttpServer} context: HTTP Basic authentication, routes
 * ({@code /v1/apps/{appid}/cloud_recording/...}), JSON in and out, and the mapping of every failure
 * onto the hosted product's answers (400 code 2 with the field, 401, 404 "failed to find worker",
 * 201 code 7, 400 codes 53, 49, 432, 433, 1001, 206 code 435; 503 when Kafka does not acknowledge
 * a command in time). The calls themselves live in {@code io.capstan.gateway.recording}.
 */
package io.capstan.gateway.api;
