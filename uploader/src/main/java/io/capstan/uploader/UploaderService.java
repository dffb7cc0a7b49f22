package io.capstan.uploader;

import io.capstan.runtime.kafka.GroupMembership;
import io.capstan.runtime.config.Config;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.config.ConfigException;
import io.capstan.runtime.config.Setting;
import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.FileChunk;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.StorageConfig;
import io.capstan.uploader.backup.BackupCopier;
import io.capstan.uploader.delivery.Backoff;
import io.capstan.uploader.delivery.FileDelivery;
import io.capstan.uploader.post.PostProcessingStarter;
import io.capstan.uploader.post.PostProcessingTracker;
import io.capstan.storage.StoreException;
import io.capstan.storage.StoreFactory;
import io.capstan.storage.StoreSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** capstan.files in, files in storage out (group {@code capstan-uploader}), with uploader events. */
public final class UploaderService implements Service {

  public static final String GROUP = "capstan-uploader";
  private static final Logger log = LoggerFactory.getLogger(UploaderService.class);

  private final ServiceContext ctx;
  private TopicView<JobSpec> jobs;
  private KafkaProducer<String, SpecificRecord> producer;
  private FileDelivery delivery;
  private BackupCopier backup;
  private Thread loop;
  private PostProcessingTracker tracker;
  private Thread trackerThread;

  public UploaderService(ServiceContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public String name() {
    return "uploader";
  }

  @Override
  public void start() {
    jobs = ctx.views().open(Topics.JOBS);
    jobs.start();
    producer = ctx.kafka().producer(ctx.clientId("uploader", "events"));
    Config config = ctx.config();
    // A job's storage is the caller's to name: its endpoint is checked like every address a caller names.
    StoreFactory stores = new StoreFactory(storeSettings(config, UploaderSettings.LOCAL_ROOT),
        AddressPolicy.of(config.get(AddressPolicy.ALLOW_PRIVATE)));
    Backoff backoff = new Backoff(config.get(UploaderSettings.RETRY_INITIAL), config.get(UploaderSettings.RETRY_MAX),
        new Random());
    backup = openBackup(config, stores, backoff);
    delivery = new FileDelivery(filesConsumer(config), producer,
        jobs, stores, backoff, config.get(UploaderSettings.JOB_WAIT), backup, writers(config),
        config.get(UploaderSettings.PROGRESS_INTERVAL));
    tracker = new PostProcessingTracker(ctx.kafka(), ctx.clientId("uploader", "post"), producer,
        config.get(UploaderSettings.POST_TIMEOUT));
    trackerThread = new Thread(tracker, "uploader-post");
    trackerThread.setDaemon(true);
    trackerThread.start();
    PostProcessingStarter starter = new PostProcessingStarter(producer, tracker);
    delivery.postProcessing(starter);
    if (backup != null) {
      backup.postProcessing(starter);
    }
    loop = new Thread(() -> {
      try {
        delivery.run();
      } catch (RuntimeException e) {
        log.error("uploader loop failed", e);
      }
    }, "uploader-loop");
    loop.start();
  }

  private KafkaConsumer<String, FileChunk> filesConsumer(Config config) {
    return ctx.kafka().consumer(Topics.FILES, GROUP, ctx.clientId("uploader", "files"),
        GroupMembership.consumerSettings(config.get(UploaderSettings.GROUP_SESSION_TIMEOUT),
            config.get(UploaderSettings.GROUP_INSTANCE_ID)));
  }

  private static int writers(Config config) {
    int writers = config.get(UploaderSettings.WRITERS);
    if (writers < 1) {
      throw new ConfigException("uploader.writers must be at least 1, not " + writers);
    }
    return writers;
  }

  private static StoreSettings storeSettings(Config config, Setting<String> root) {
    try {
      return new StoreSettings(Path.of(config.get(root)), config.get(UploaderSettings.MULTIPART_THRESHOLD),
          config.get(UploaderSettings.PART_SIZE));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("uploader.multipart.*: " + e.getMessage());
    }
  }

  /** The backup store and its copier, when configured; files a previous run left there are owed again. */
  private BackupCopier openBackup(Config config, StoreFactory primaries, Backoff backoff) {
    Optional<StorageConfig> storage = UploaderSettings.backupStorage(config);
    if (storage.isEmpty()) {
      return null;
    }
    StoreFactory factory = new StoreFactory(storeSettings(config, UploaderSettings.BACKUP_LOCAL_ROOT));
    BackupCopier copier;
    try {
      factory.check(storage.get());
      copier = new BackupCopier(factory.open(storage.get()), factory.open(storage.get()), primaries, backoff,
          config.get(UploaderSettings.BACKUP_AFTER), producer, jobs);
    } catch (StoreException | RuntimeException e) {
      throw new ConfigException("uploader.backup.*: " + e.getMessage());
    }
    jobs.awaitCaughtUp(Duration.ofSeconds(30));
    try {
      copier.recover();
    } catch (StoreException e) {
      log.warn("cannot list the backup store ({}); files a previous run left there wait for the next start",
          e.getMessage());
    }
    copier.start();
    log.info("backup store: vendor {}, bucket '{}', used after {} of primary failure", storage.get().getVendor(),
        storage.get().getBucket(), config.get(UploaderSettings.BACKUP_AFTER));
    return copier;
  }

  @Override
  public boolean healthy() {
    return loop != null && loop.isAlive();
  }

  @Override
  public boolean ready() {
    return delivery != null && delivery.polling();
  }

  @Override
  public void close() {
    if (delivery != null) {
      delivery.close();
    }
    if (jobs != null) {
      // Releases a delivery loop waiting for a job's spec, so it reaches its finally and leaves the
      // group now rather than after the session timeout (its replacement would wait that long).
      jobs.close();
    }
    if (loop != null) {
      try {
        loop.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (backup != null) {
      backup.close();
    }
    if (tracker != null) {
      tracker.close();
      try {
        trackerThread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close();
    }
  }
}
