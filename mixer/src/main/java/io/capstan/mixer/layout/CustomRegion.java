package io.capstan.mixer.layout;

/**
 * One entry of a custom layout (layoutConfig): position and size relative to the canvas in [0, 1];
 * {@code uid} null means "the next user in join order".
 */
public record CustomRegion(String uid, double x, double y, double width, double height, double alpha, int renderMode) {
}
