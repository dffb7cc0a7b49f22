package io.capstan.storage.s3;

import io.capstan.storage.ObjectStore;
import io.capstan.storage.ObjectStoreContract;
import io.capstan.storage.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/**
 * The ObjectStore contract for each S3-compatible vendor code, each pointed by an endpoint override
 * at the same s3proxy (their own hosts are in {@link S3Vendor}, checked by S3StoresTest): the code
 * path of every vendor (region names, checksum settings, path style) talks real S3.
 */
class S3CompatibleVendorsIT {

  private static S3ProxyServer s3;

  @BeforeAll
  static void startS3() throws Exception {
    s3 = S3ProxyServer.start();
  }

  @AfterAll
  static void stopS3() throws Exception {
    s3.close();
  }

  abstract static class Vendor extends ObjectStoreContract {
    abstract int vendor();

    String region() {
      return "0";
    }

    @Override
    protected ObjectStore newStore() throws Exception {
      return S3StoreIT.factory().open(S3StoreIT.config(s3, vendor(), s3.newBucket()).setRegion(region()).build());
    }
  }

  @Nested
  class Qiniu extends Vendor {
    @Override
    int vendor() {
      return 0;
    }

    @Override
    String region() {
      return "cn-east-1";
    }
  }

  @Nested
  class AlibabaOss extends Vendor {
    @Override
    int vendor() {
      return 2;
    }

    @Override
    String region() {
      return "oss-cn-hangzhou";
    }
  }

  @Nested
  class TencentCos extends Vendor {
    @Override
    int vendor() {
      return 3;
    }

    @Override
    String region() {
      return "ap-guangzhou";
    }
  }

  @Nested
  class KingsoftKs3 extends Vendor {
    @Override
    int vendor() {
      return 4;
    }
  }

  @Nested
  class HuaweiObs extends Vendor {
    @Override
    int vendor() {
      return 7;
    }

    @Override
    String region() {
      return "cn-north-4";
    }
  }

  @Nested
  class BaiduBos extends Vendor {
    @Override
    int vendor() {
      return 8;
    }

    @Override
    String region() {
      return "bj";
    }
  }

  @Nested
  class SelfHosted extends Vendor {
    @Override
    int vendor() {
      return 11;
    }
  }
}
