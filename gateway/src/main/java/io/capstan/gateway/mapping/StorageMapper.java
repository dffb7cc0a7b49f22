package io.capstan.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.schemas.StorageConfig;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** storageConfig (start, and update to renew temporary credentials). Never logs what it reads. */
final class StorageMapper {

  /** Capstan rule: the uploader's local file system. */
  static final int LOCAL = 99;
  static final int S3 = 1;
  static final int SELF_HOSTED_S3 = 11;
  private static final Set<Integer> VENDORS = Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 11, LOCAL);
  /** Vendors whose only region is 0. */
  private static final Set<Integer> REGION_ZERO = Set.of(11);
  /** Microsoft Azure and Google Cloud: the hosted product ignores their region, "set or not". */
  private static final Set<Integer> REGION_IGNORED = Set.of(5, 6);
  /** Vendors with temporary credentials (stsToken). */
  private static final Set<Integer> STS = Set.of(1, 2, 3);
  /** Amazon S3's region codes in the reference (17 and 23 are not used). */
  private static final Set<Integer> S3_REGIONS = Set.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
      18, 19, 20, 21, 22, 24, 25);
  private static final Pattern PREFIX_PART = Pattern.compile("[A-Za-z0-9]+");
  private static final Pattern REGION_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
  /** A bucket is a single path element everywhere (a folder under the root for vendor 99). */
  private static final Pattern BUCKET = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,254}");
  private static final Pattern TAG = Pattern.compile("[^=&]+=[^=&]*(&[^=&]+=[^=&]*)*");

  private StorageMapper() {
  }

  static StorageConfig storage(Obj s) {
    int vendor = s.requiredInteger("vendor", 0, 99);
    if (!VENDORS.contains(vendor)) {
      throw s.invalid("vendor", "must be one of 0-8, 11 or 99 (local file system), got " + vendor);
    }
    boolean local = vendor == LOCAL;
    StorageConfig.Builder b = StorageConfig.newBuilder().setVendor(vendor);
    b.setRegion(region(s, vendor, local));
    String bucket = local ? s.string("bucket") : s.requiredString("bucket");
    if (bucket != null && (!BUCKET.matcher(bucket).matches() || bucket.contains(".."))) {
      throw s.invalid("bucket", "letters, digits, '.', '_' and '-' only, starting with a letter or digit");
    }
    b.setBucket(bucket == null ? "" : bucket);
    if (local) {
      b.setAccessKey(s.string("accessKey")).setSecretKey(s.string("secretKey"));
    } else {
      b.setAccessKey(s.requiredString("accessKey")).setSecretKey(s.requiredString("secretKey"));
    }
    String sts = s.string("stsToken");
    long stsExpiration = s.longValue("stsExpiration", 0, 0, Long.MAX_VALUE);
    if (sts != null && !STS.contains(vendor)) {
      throw s.invalid("stsToken", "only for vendors 1, 2 and 3");
    }
    if (sts == null && stsExpiration != 0) {
      throw s.invalid("stsExpiration", "only together with stsToken");
    }
    b.setStsToken(sts).setStsExpiration(stsExpiration);
    List<String> prefix = s.strings("fileNamePrefix");
    if (prefix != null) {
      for (int i = 0; i < prefix.size(); i++) {
        if (!PREFIX_PART.matcher(prefix.get(i)).matches()) {
          throw new InvalidRequestException(s.path("fileNamePrefix") + "[" + i + "]",
              "letters and digits only, got '" + prefix.get(i) + "'");
        }
      }
      if (String.join("/", prefix).length() > 128) {
        throw s.invalid("fileNamePrefix", "the joined prefix must be at most 128 characters");
      }
      b.setFileNamePrefix(prefix);
    }
    Map<String, String> params = extensionParams(s);
    b.setExtensionParams(params);
    String endpoint = s.string("endpoint");
    if (endpoint != null) {
      if (local) {
        throw s.invalid("endpoint", "not used with vendor 99 (local file system)");
      }
      Urls.require(s, "endpoint", endpoint, Urls.WEB);
    }
    if (vendor == SELF_HOSTED_S3 && endpoint == null && !params.containsKey("endpoint")) {
      throw s.invalid("extensionParams", "vendor 11 needs extensionParams.endpoint (the store's host)");
    }
    b.setEndpoint(endpoint);
    s.noteUnknown();
    return b.build();
  }

  /** An integer code, or (Capstan rule) the vendor's own region name; stored as a string. */
  private static String region(Obj s, int vendor, boolean local) {
    JsonNode n = s.raw("region");
    if (REGION_IGNORED.contains(vendor)) {
      return "0";
    }
    if (n == null) {
      if (local) {
        return "0";
      }
      throw s.invalid("region", "missing");
    }
    if (n.isIntegralNumber()) {
      int code = s.integer("region", 0, 1000);
      if (REGION_ZERO.contains(vendor) && code != 0) {
        throw s.invalid("region", "vendor " + vendor + " takes region 0, got " + code);
      }
      if (vendor == S3 && !S3_REGIONS.contains(code)) {
        throw s.invalid("region", "unknown Amazon S3 region code " + code);
      }
      return String.valueOf(code);
    }
    if (n.isTextual() && REGION_NAME.matcher(n.textValue()).matches()) {
      return n.textValue();
    }
    throw s.invalid("region", "must be the vendor's region code (an integer) or region name (e.g. \"eu-west-1\")");
  }

  private static Map<String, String> extensionParams(Obj s) {
    Obj p = s.object("extensionParams");
    Map<String, String> params = new LinkedHashMap<>();
    if (p == null) {
      return params;
    }
    JsonNode node = s.raw("extensionParams");
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      String value = p.string(name);
      if (value != null) {
        params.put(name, value);
      }
    }
    String sse = params.get("sse");
    if (sse != null && !sse.equals("kms") && !sse.equals("aes256")) {
      throw p.invalid("sse", "must be kms or aes256, got '" + sse + "'");
    }
    String tag = params.get("tag");
    if (tag != null && !TAG.matcher(tag).matches()) {
      throw p.invalid("tag", "must be key=value, got '" + tag + "'");
    }
    String endpoint = params.get("endpoint");
    if (endpoint != null && Urls.scheme(endpoint) == null && !endpoint.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
      throw p.invalid("endpoint", "must be a host[:port] or an http(s) URL");
    }
    return params;
  }
}
