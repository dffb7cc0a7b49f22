package io.capstan.ingest.stored;

import static org.assertj.core.api.Assertions.assertThat;

import io.capstan.storage.recording.StoredPlaylist;
import java.util.List;
import org.junit.jupiter.api.Test;

class PresenceTest {

  static final long T0 = 1_790_000_000_000L;

  static StoredPlaylist.Slice slice(long startMs, long durationMs) {
    return new StoredPlaylist.Slice("s" + startMs + ".ts", durationMs * 1000, T0 + startMs, false, null);
  }

  @Test
  void backToBackSlicesAreOneStretchAndAGapSplitsThem() {
    StoredPlaylist video = new StoredPlaylist(List.of(slice(467, 1533), slice(2000, 2000), slice(4000, 200),
        slice(8733, 1267)), true);
    StoredPlaylist audio = new StoredPlaylist(List.of(slice(419, 1600), slice(2019, 1984), slice(8659, 1344)), true);
    List<Presence.Interval> presence = Presence.of(List.of(video, audio), T0);
    assertThat(presence).containsExactly(new Presence.Interval(419_000, 4_200_000),
        new Presence.Interval(8_659_000, 10_003_000));
    assertThat(Presence.at(presence, 5_000_000, 250_000)).isEqualTo(presence.get(1));
    assertThat(Presence.at(presence, 4_300_000, 250_000)).isEqualTo(presence.get(0));
    assertThat(Presence.at(presence, 11_000_000, 250_000)).isNull();
  }
}
