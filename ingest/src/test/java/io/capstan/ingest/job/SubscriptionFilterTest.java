package io.capstan.ingest.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.schemas.MediaKind;
import io.capstan.schemas.Subscriptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubscriptionFilterTest {

  @Test
  void everyoneByDefaultAndWithAllStream() {
    assertThat(new SubscriptionFilter(Subscriptions.newBuilder().build()).wants("7", MediaKind.AUDIO)).isTrue();
    SubscriptionFilter all = new SubscriptionFilter(Subscriptions.newBuilder()
        .setVideoUids(List.of("#allstream#")).build());
    assertThat(all.wants("7", MediaKind.VIDEO)).isTrue();
  }

  @Test
  void allowAndDenyListsArePerMedia() {
    SubscriptionFilter filter = new SubscriptionFilter(Subscriptions.newBuilder()
        .setAudioUids(List.of("1")).setUnsubscribeVideoUids(List.of("1")).build());
    assertThat(filter.wants("1", MediaKind.AUDIO)).isTrue();
    assertThat(filter.wants("2", MediaKind.AUDIO)).isFalse();
    assertThat(filter.wants("1", MediaKind.VIDEO)).isFalse();
    assertThat(filter.wants("2", MediaKind.VIDEO)).isTrue();
    assertThat(filter.wantsAny("1")).isTrue();
  }
}
