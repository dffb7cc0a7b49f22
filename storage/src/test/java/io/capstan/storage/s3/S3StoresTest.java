package io.capstan.storage.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.schemas.StorageConfig;
import io.capstan.storage.StoreException;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

class S3StoresTest {

  private static StorageConfig.Builder storage(int vendor, String region) {
    return StorageConfig.newBuilder().setVendor(vendor).setRegion(region).setBucket("b");
  }

  @Test
  void amazonRegionCodesFollowTheReferenceAndNamesPassAsGiven() throws Exception {
    assertThat(S3Stores.target(storage(1, "0").build()).region()).isEqualTo("us-east-1");
    assertThat(S3Stores.target(storage(1, "7").build()).region()).isEqualTo("eu-central-1");
    assertThat(S3Stores.target(storage(1, "25").build()).region()).isEqualTo("eu-south-1");
    assertThat(S3Stores.target(storage(1, "eu-west-1").build()).region()).isEqualTo("eu-west-1");
    assertThat(S3Stores.target(storage(1, "eu-west-1").build()).endpoint()).isNull();
    assertThat(S3Stores.target(storage(1, "eu-west-1").build()).pathStyle()).isFalse();
    assertThatThrownBy(() -> S3Stores.target(storage(1, "17").build())).isInstanceOf(StoreException.class)
        .hasMessageContaining("region code 17 of Amazon S3 is unknown");
  }

  @Test
  void eachCompatibleVendorHasItsEndpointByRegionName() throws Exception {
    assertThat(endpoint(0, "cn-east-1")).isEqualTo("https://s3.cn-east-1.qiniucs.com");
    assertThat(endpoint(2, "oss-cn-hangzhou")).isEqualTo("https://oss-cn-hangzhou.aliyuncs.com");
    assertThat(endpoint(2, "cn-shanghai")).isEqualTo("https://oss-cn-shanghai.aliyuncs.com");
    assertThat(endpoint(3, "ap-guangzhou")).isEqualTo("https://cos.ap-guangzhou.myqcloud.com");
    assertThat(endpoint(4, "cn-beijing")).isEqualTo("https://ks3-cn-beijing.ksyuncs.com");
    assertThat(endpoint(7, "cn-north-4")).isEqualTo("https://obs.cn-north-4.myhuaweicloud.com");
    assertThat(endpoint(8, "bj")).isEqualTo("https://s3.bj.bcebos.com");
    assertThat(S3Stores.target(storage(3, "ap-guangzhou").build()).pathStyle()).isFalse();
  }

  @Test
  void eachVendorsNumericRegionCodeReachesTheDocumentedEndpoint() throws Exception {
    // The hosted product's own example body: Alibaba Cloud (2), region 3 = CN_Beijing.
    assertThat(endpoint(2, "3")).isEqualTo("https://oss-cn-beijing.aliyuncs.com");
    assertThat(S3Stores.target(storage(2, "3").build()).region()).isEqualTo("oss-cn-beijing");
    assertThat(endpoint(2, "0")).isEqualTo("https://oss-cn-hangzhou.aliyuncs.com");
    assertThat(endpoint(2, "18")).isEqualTo("https://oss-me-east-1.aliyuncs.com");
    assertThat(endpoint(2, "25")).isEqualTo("https://oss-cn-wulanchabu.aliyuncs.com");
    assertThat(endpoint(0, "0")).isEqualTo("https://s3.cn-east-1.qiniucs.com");
    assertThat(endpoint(0, "4")).isEqualTo("https://s3.ap-southeast-1.qiniucs.com");
    assertThat(endpoint(3, "0")).isEqualTo("https://cos.ap-beijing-1.myqcloud.com");
    assertThat(endpoint(3, "3")).isEqualTo("https://cos.ap-guangzhou.myqcloud.com");
    assertThat(endpoint(3, "19")).isEqualTo("https://cos.eu-moscow.myqcloud.com");
    assertThat(endpoint(4, "3")).isEqualTo("https://ks3-cn-beijing.ksyuncs.com");
    assertThat(endpoint(4, "5")).isEqualTo("https://ks3-cn-hk-1.ksyuncs.com");
    assertThat(endpoint(7, "1")).isEqualTo("https://obs.cn-north-4.myhuaweicloud.com");
    assertThat(endpoint(7, "15")).isEqualTo("https://obs.sa-chile-1.myhuaweicloud.com");
    assertThat(endpoint(8, "0")).isEqualTo("https://s3.bj.bcebos.com");
    assertThat(endpoint(8, "3")).isEqualTo("https://s3.gz.bcebos.com");
    assertThat(endpoint(8, "7")).isEqualTo("https://s3.fsh.bcebos.com");
  }

  @Test
  void aRegionCodeOutsideTheVendorsTableAsksForTheName() {
    assertThatThrownBy(() -> S3Stores.target(storage(2, "26").build())).isInstanceOf(StoreException.class)
        .hasMessageContaining("region code 26 of Alibaba Cloud OSS is not in the hosted product's table; give the "
            + "region's name (e.g. \"oss-cn-hangzhou\")");
    assertThatThrownBy(() -> S3Stores.target(storage(8, "8").build())).isInstanceOf(StoreException.class)
        .hasMessageContaining("region code 8 of Baidu AI Cloud BOS");
  }

  @Test
  void anEndpointOverridesTheVendorAndIsPathStyle() throws Exception {
    S3Stores.Target custom = S3Stores.target(storage(11, "0")
        .setExtensionParams(Map.of("endpoint", "http://minio:9000")).build());
    assertThat(custom.endpoint()).isEqualTo(URI.create("http://minio:9000"));
    assertThat(custom.pathStyle()).isTrue();
    assertThat(custom.region()).isEqualTo("us-east-1");
    S3Stores.Target field = S3Stores.target(storage(1, "3").setEndpoint("ceph.local:7480").build());
    assertThat(field.endpoint()).isEqualTo(URI.create("https://ceph.local:7480"));
    assertThat(field.region()).isEqualTo("us-west-2");
    assertThat(S3Stores.target(storage(2, "5").setEndpoint("http://127.0.0.1:9000").build()).region())
        .isEqualTo("us-east-1");
    assertThatThrownBy(() -> S3Stores.target(storage(11, "0").build())).isInstanceOf(StoreException.class)
        .hasMessageContaining("vendor 11 needs its store's address in extensionParams.endpoint");
    assertThatThrownBy(() -> S3Stores.target(storage(11, "0").setEndpoint("http://u:p@host/").build()))
        .isInstanceOf(StoreException.class).hasMessageNotContaining("u:p");
  }

  @Test
  void encryptionAndTagsComeFromExtensionParams() throws Exception {
    assertThat(S3Stores.target(storage(1, "0").setExtensionParams(Map.of("sse", "aes256")).build()).sse())
        .isEqualTo(ServerSideEncryption.AES256);
    assertThat(S3Stores.target(storage(1, "0").setExtensionParams(Map.of("sse", "KMS")).build()).sse())
        .isEqualTo(ServerSideEncryption.AWS_KMS);
    assertThat(S3Stores.target(storage(1, "0").setExtensionParams(Map.of("tag", "app=capstan")).build()).tagging())
        .isEqualTo("app=capstan");
    assertThatThrownBy(() -> S3Stores.target(storage(1, "0").setExtensionParams(Map.of("sse", "des")).build()))
        .isInstanceOf(StoreException.class).hasMessageContaining("\"aes256\" or \"kms\"");
    assertThatThrownBy(() -> S3Stores.target(storage(1, "0").setExtensionParams(Map.of("tag", "novalue")).build()))
        .isInstanceOf(StoreException.class).hasMessageContaining("key=value");
  }

  @Test
  void anEmptyBucketIsRefused() {
    assertThatThrownBy(() -> S3Stores.target(storage(1, "0").setBucket("").build()))
        .isInstanceOf(StoreException.class).hasMessageContaining("bucket is empty");
  }

  private static String endpoint(int vendor, String region) throws StoreException {
    return S3Stores.target(storage(vendor, region).build()).endpoint().toString();
  }
}
