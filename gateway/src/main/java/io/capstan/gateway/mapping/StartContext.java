package io.capstan.gateway.mapping;

/**
 * What the start body does not say: the app from the path, the resourceId and the scene it was
 * acquired with, and the job's sid.
 */
public record StartContext(String appId, String resourceId, int scene, String sid) {
}
