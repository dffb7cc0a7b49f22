package io.capstan.runtime.spec;

import java.util.OptionalInt;

/**
 * Maps recordingConfig.decryptionMode onto what ingest can really decrypt: an SRT source's own
 * AES encryption, keyed by the job's secret as passphrase. SRT picks its own cipher mode; the
 * decryption mode only says the key length (AES-128 or AES-256). SM4 has no SRT counterpart, and
 * Agora's salt has none either (SRT derives its key with its own salt), so it is ignored.
 */
public final class SrtEncryption {

  /** SRT accepts passphrases of 10 to 79 characters. */
  public static final int MIN_PASSPHRASE = 10;
  public static final int MAX_PASSPHRASE = 79;

  private SrtEncryption() {
  }

  /** The SRT {@code pbkeylen} of a decryption mode; empty when the mode cannot be mapped (or is 0, none). */
  public static OptionalInt keyLength(int mode) {
    return switch (mode) {
      case 1, 2, 5, 7 -> OptionalInt.of(16);   // aes-128-xts, aes-128-ecb, aes-128-gcm, aes-128-gcm2
      case 3, 6, 8 -> OptionalInt.of(32);      // aes-256-xts, aes-256-gcm, aes-256-gcm2
      default -> OptionalInt.empty();          // 0 none, 4 sm4-128-ecb, unknown modes
    };
  }

  public static String modeName(int mode) {
    return switch (mode) {
      case 0 -> "none";
      case 1 -> "aes-128-xts";
      case 2 -> "aes-128-ecb";
      case 3 -> "aes-256-xts";
      case 4 -> "sm4-128-ecb";
      case 5 -> "aes-128-gcm";
      case 6 -> "aes-256-gcm";
      case 7 -> "aes-128-gcm2";
      case 8 -> "aes-256-gcm2";
      default -> "unknown";
    };
  }
}
