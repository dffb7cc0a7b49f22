package io.capstan.ingest.web;

import java.nio.ByteBuffer;

/**
 * One picture of the page, I420 as the frames contract wants it: {@code data} holds the Y plane
 * ({@code strides[0] * height} bytes), then U and V ({@code strides[1|2] * height / 2} each).
 *
 * <p>Borrowed: {@code data} is the grabber's native buffer and is overwritten by the next grab,
 * so a listener copies it (e.g. into the Avro record's bytes) before it returns.
 *
 * @param utcUs when the picture was taken, UTC microseconds (see {@link PageCapture} for the clock)
 * @param width even
 * @param height even
 * @param strides bytes per row of Y, U and V
 * @param data position 0, limit = the size of the three planes
 */
public record PageVideoFrame(long utcUs, int width, int height, int[] strides, ByteBuffer data) {
}
