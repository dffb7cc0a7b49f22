package io.capstan.storage.s3;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The hosted product's numeric {@code region} codes of each S3-protocol vendor (its "third-party cloud
 * storage regions" tables), as the vendor's own region names, which {@link S3Vendor} turns into the
 * vendor's endpoint. Bodies written for the hosted product carry these numbers (its own example:
 * vendor 2, region 3), so each one must reach the documented endpoint.
 *
 * <p>Codes the tables name but whose region id could not be confirmed are left out (a start with one
 * is refused with a reason naming the region-name alternative): Alibaba 26 (CN_Northeast_2) and 27
 * (CN_Southeast_7). Qiniu's and Kingsoft's tables are from the hosted product's older documentation.
 */
public final class S3Regions {

  /** Amazon S3 (vendor 1); 17 and 23 are not in the table. */
  private static final Map<Integer, String> AMAZON = Map.ofEntries(
      Map.entry(0, "us-east-1"), Map.entry(1, "us-east-2"), Map.entry(2, "us-west-1"), Map.entry(3, "us-west-2"),
      Map.entry(4, "eu-west-1"), Map.entry(5, "eu-west-2"), Map.entry(6, "eu-west-3"), Map.entry(7, "eu-central-1"),
      Map.entry(8, "ap-southeast-1"), Map.entry(9, "ap-southeast-2"), Map.entry(10, "ap-northeast-1"),
      Map.entry(11, "ap-northeast-2"), Map.entry(12, "sa-east-1"), Map.entry(13, "ca-central-1"),
      Map.entry(14, "ap-south-1"), Map.entry(15, "cn-north-1"), Map.entry(16, "cn-northwest-1"),
      Map.entry(18, "af-south-1"), Map.entry(19, "ap-east-1"), Map.entry(20, "ap-northeast-3"),
      Map.entry(21, "eu-north-1"), Map.entry(22, "me-south-1"), Map.entry(24, "ap-southeast-3"),
      Map.entry(25, "eu-south-1"));

  /** Qiniu Kodo (vendor 0): East, North, South China, North America, Southeast Asia. */
  private static final List<String> QINIU = List.of("cn-east-1", "cn-north-1", "cn-south-1", "us-north-1",
      "ap-southeast-1");

  /** Alibaba Cloud OSS (vendor 2), 0 … 25; 18 is "EU_East_1", OSS's Dubai region me-east-1. */
  private static final List<String> ALIYUN = List.of("oss-cn-hangzhou", "oss-cn-shanghai", "oss-cn-qingdao",
      "oss-cn-beijing", "oss-cn-zhangjiakou", "oss-cn-huhehaote", "oss-cn-shenzhen", "oss-cn-hongkong",
      "oss-us-west-1", "oss-us-east-1", "oss-ap-southeast-1", "oss-ap-southeast-2", "oss-ap-southeast-3",
      "oss-ap-southeast-5", "oss-ap-northeast-1", "oss-ap-south-1", "oss-eu-central-1", "oss-eu-west-1",
      "oss-me-east-1", "oss-ap-southeast-6", "oss-cn-heyuan", "oss-cn-guangzhou", "oss-cn-chengdu",
      "oss-cn-nanjing", "oss-cn-fuzhou", "oss-cn-wulanchabu");

  /** Tencent Cloud COS (vendor 3), 0 … 19. */
  private static final List<String> TENCENT = List.of("ap-beijing-1", "ap-beijing", "ap-shanghai", "ap-guangzhou",
      "ap-chengdu", "ap-chongqing", "ap-shenzhen-fsi", "ap-shanghai-fsi", "ap-beijing-fsi", "ap-hongkong",
      "ap-singapore", "ap-mumbai", "ap-seoul", "ap-bangkok", "ap-tokyo", "na-siliconvalley", "na-ashburn",
      "na-toronto", "eu-frankfurt", "eu-moscow");

  /**
   * Kingsoft Cloud KS3 (vendor 4), 0 … 9: Hangzhou, Shanghai, Qingdao, Beijing, Guangzhou, Hong Kong,
   * the finance regions of Beijing and Shanghai, Russia, Singapore, as KS3 names them in its hosts.
   */
  private static final List<String> KINGSOFT = List.of("cn-hangzhou", "cn-shanghai", "cn-qingdao", "cn-beijing",
      "cn-guangzhou", "cn-hk-1", "jr-beijing", "jr-shanghai", "rus", "sgp");

  /** Huawei Cloud OBS (vendor 7), 0 … 15. */
  private static final List<String> HUAWEI = List.of("cn-north-1", "cn-north-4", "cn-east-2", "cn-east-3",
      "cn-south-1", "cn-southwest-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "af-south-1",
      "sa-argentina-1", "sa-peru-1", "na-mexico-1", "sa-brazil-1", "la-south-2", "sa-chile-1");

  /** Baidu AI Cloud BOS (vendor 8), 0 … 7: Beijing, Baoding, Suzhou, Guangzhou, Hong Kong, Singapore, Wuhan, Shanghai. */
  private static final List<String> BAIDU = List.of("bj", "bd", "su", "gz", "hkg", "sin", "fwh", "fsh");

  private S3Regions() {
  }

  /** The AWS region name of code {@code code}, if the reference lists it. */
  public static Optional<String> name(int code) {
    return Optional.ofNullable(AMAZON.get(code));
  }

  /** {@code vendor}'s own name of region code {@code code}, if its table has it. */
  public static Optional<String> name(S3Vendor vendor, int code) {
    List<String> table = switch (vendor) {
      case AMAZON -> null;
      case QINIU -> QINIU;
      case ALIYUN -> ALIYUN;
      case TENCENT -> TENCENT;
      case KINGSOFT -> KINGSOFT;
      case HUAWEI -> HUAWEI;
      case BAIDU -> BAIDU;
      case CUSTOM -> List.of();
    };
    if (table == null) {
      return name(code);
    }
    return code >= 0 && code < table.size() ? Optional.of(table.get(code)) : Optional.empty();
  }

  /** True when {@code region} is a code ("3") rather than a name ("us-west-2"). */
  public static boolean isCode(String region) {
    return region != null && !region.isEmpty() && region.chars().allMatch(Character::isDigit);
  }
}
