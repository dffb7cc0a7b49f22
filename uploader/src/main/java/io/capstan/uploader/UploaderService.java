package io.capstan.uploader;

import io.capstan.runtime.kafka.TopicView;
import io.capstan.runtime.kafka.Topics;
import io.capstan.runtime.service.Service;
import io.capstan.runtime.service.ServiceContext;
import io.capstan.schemas.JobSpec;
import io.capstan.uploader.delivery.Backoff;
import io.capstan.uploader.delivery.FileDelivery;
import io.capstan.uploader.store.StoreFactory;
import java.nio.file.Path;
import java.util.Random;
import org.apache.avro.specific.SpecificRecord;
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
  private Thread loop;

  public UploaderService(ServiceContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public String name() {
    return "uploader";
  }

  @Override
  public void start() {
    jobs = new TopicView<>(ctx.kafka(), Topics.JOBS, ctx.clientId("uploader", "jobs"));
    jobs.start();
    producer = ctx.kafka().producer(ctx.clientId("uploader", "events"));
    Path root = Path.of(ctx.config().get(UploaderSettings.LOCAL_ROOT));
    delivery = new FileDelivery(ctx.kafka().consumer(Topics.FILES, GROUP, ctx.clientId("uploader", "files")), producer,
        jobs, new StoreFactory(root),
        new Backoff(ctx.config().get(UploaderSettings.RETRY_INITIAL), ctx.config().get(UploaderSettings.RETRY_MAX),
            new Random()),
        ctx.config().get(UploaderSettings.JOB_WAIT));
    loop = new Thread(() -> {
      try {
        delivery.run();
      } catch (RuntimeException e) {
        log.error("uploader loop failed", e);
      }
    }, "uploader-loop");
    loop.start();
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
    if (loop != null) {
      try {
        loop.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (producer != null) {
      producer.close();
    }
    if (jobs != null) {
      jobs.close();
    }
  }
}
