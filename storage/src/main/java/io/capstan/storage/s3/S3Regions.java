package io.capstan.storage.s3;

import java.util.Map;
import java.util.Optional;

/** Amazon S3's region codes of the hosted product's storageConfig (the reference's table). */
public final class S3Regions {

  private static final Map<Integer, String> CODES = Map.ofEntries(
      Map.entry(0, "us-east-1"), Map.entry(1, "us-east-2"), Map.entry(2, "us-west-1"), Map.entry(3, "us-west-2"),
      Map.entry(4, "eu-west-1"), Map.entry(5, "eu-west-2"), Map.entry(6, "eu-west-3"), Map.entry(7, "eu-central-1"),
      Map.entry(8, "ap-southeast-1"), Map.entry(9, "ap-southeast-2"), Map.entry(10, "ap-northeast-1"),
      Map.entry(11, "ap-northeast-2"), Map.entry(12, "sa-east-1"), Map.entry(13, "ca-central-1"),
      Map.entry(14, "ap-south-1"), Map.entry(15, "cn-north-1"), Map.entry(16, "cn-northwest-1"),
      Map.entry(18, "af-south-1"), Map.entry(19, "ap-east-1"), Map.entry(20, "ap-northeast-3"),
      Map.entry(21, "eu-north-1"), Map.entry(22, "me-south-1"), Map.entry(24, "ap-southeast-3"),
      Map.entry(25, "eu-south-1"));

  private S3Regions() {
  }

  /** The AWS region name of code {@code code}, if the reference lists it. */
  public static Optional<String> name(int code) {
    return Optional.ofNullable(CODES.get(code));
  }

  /** True when {@code region} is a code ("3") rather than a name ("us-west-2"). */
  public static boolean isCode(String region) {
    return region != null && !region.isEmpty() && region.chars().allMatch(Character::isDigit);
  }
}
