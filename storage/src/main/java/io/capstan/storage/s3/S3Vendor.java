package io.capstan.storage.s3;

import java.util.Arrays;
import java.util.Optional;

/**
 * The vendors reached through the S3 protocol, with the endpoint each one serves a region at. A
 * region is given by its vendor's own name, or by the hosted product's numeric code, which
 * {@link S3Regions} turns into that name. These hosts are addressed virtual-hosted style ({@code bucket.host}), as
 * the vendors require; a job's own {@code endpoint} overrides the table and is addressed path-style.
 */
public enum S3Vendor {

  /** Qiniu Kodo's S3 API: region ids cn-east-1, cn-east-2, cn-north-1, cn-south-1, us-north-1, ap-southeast-1. */
  QINIU(0, "Qiniu Cloud", "s3.%s.qiniucs.com"),
  /** Amazon S3 itself: the SDK knows its endpoints; region codes follow the reference's table. */
  AMAZON(1, "Amazon S3", null),
  /** Alibaba Cloud OSS: region ids oss-cn-hangzhou, oss-ap-southeast-1, ... ("cn-hangzhou" gets "oss-" added). */
  ALIYUN(2, "Alibaba Cloud OSS", "%s.aliyuncs.com"),
  /** Tencent Cloud COS: regions ap-guangzhou, ap-beijing, na-siliconvalley, ...; bucket names end in -APPID. */
  TENCENT(3, "Tencent Cloud COS", "cos.%s.myqcloud.com"),
  /** Kingsoft Cloud KS3: regions cn-beijing, cn-shanghai, cn-guangzhou, cn-hk-1, rus, sgp, jr-beijing, ... */
  KINGSOFT(4, "Kingsoft Cloud KS3", "ks3-%s.ksyuncs.com"),
  /** Huawei Cloud OBS: regions cn-north-4, cn-east-3, ap-southeast-1, ... */
  HUAWEI(7, "Huawei Cloud OBS", "obs.%s.myhuaweicloud.com"),
  /** Baidu AI Cloud BOS's S3 API: regions bj, bd, su, gz, hkg, sin, fwh, fsh. */
  BAIDU(8, "Baidu AI Cloud BOS", "s3.%s.bcebos.com"),
  /** Any self-hosted S3-compatible store (MinIO, Ceph, R2): extensionParams.endpoint or endpoint is required. */
  CUSTOM(11, "S3-compatible store", null);

  private final int code;
  private final String displayName;
  private final String hostPattern;

  S3Vendor(int code, String displayName, String hostPattern) {
    this.code = code;
    this.displayName = displayName;
    this.hostPattern = hostPattern;
  }

  public static Optional<S3Vendor> of(int code) {
    return Arrays.stream(values()).filter(v -> v.code == code).findFirst();
  }

  public int code() {
    return code;
  }

  public String displayName() {
    return displayName;
  }

  /** The vendor's endpoint for region name {@code region}; empty for Amazon (the SDK's) and custom stores. */
  public Optional<String> endpoint(String region) {
    if (hostPattern == null) {
      return Optional.empty();
    }
    return Optional.of("https://" + hostPattern.formatted(hostRegion(region)));
  }

  /** The region as it appears in the host (Alibaba's carry an "oss-" prefix). */
  String hostRegion(String region) {
    return this == ALIYUN && !region.startsWith("oss-") ? "oss-" + region : region;
  }
}
