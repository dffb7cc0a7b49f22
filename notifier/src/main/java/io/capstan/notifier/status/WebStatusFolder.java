package io.capstan.notifier.status;

import io.capstan.schemas.JobSpec;
import io.capstan.schemas.JobStatus;
import io.capstan.schemas.RtmpPublishStatus;
import io.capstan.schemas.RtmpState;
import io.capstan.schemas.WebRecorderStarted;
import io.capstan.schemas.WebRecorderStopped;
import io.capstan.schemas.WebState;
import java.util.ArrayList;
import java.util.List;

/** The web recorder's part of the status: query's {@code extensionServiceState}. */
final class WebStatusFolder {

  private WebStatusFolder() {
  }

  static void fold(JobStatus.Builder next, Object details) {
    if (details instanceof WebRecorderStarted) {
      next.setWeb(WebState.newBuilder(web(next)).setState("inProgress").build());
    } else if (details instanceof WebRecorderStopped stopped) {
      next.setWeb(WebState.newBuilder(web(next)).setState("exit").setFileList(new ArrayList<>(stopped.getFileList()))
          .build());
    } else if (details instanceof RtmpPublishStatus rtmp) {
      List<RtmpState> states = new ArrayList<>();
      web(next).getRtmp().stream().filter(r -> !r.getRtmpUrl().equals(rtmp.getRtmpUrl())).forEach(states::add);
      states.add(RtmpState.newBuilder().setRtmpUrl(rtmp.getRtmpUrl()).setStatus(rtmp.getStatus()).build());
      next.setWeb(WebState.newBuilder(web(next)).setRtmp(states).build());
    }
  }

  /** A web job's spec says whether it is on hold (start or update). */
  static void withSpec(JobStatus.Builder next, JobSpec spec) {
    if (spec.getWeb() != null) {
      next.setWeb(WebState.newBuilder(web(next)).setOnhold(spec.getWeb().getOnhold()).build());
    }
  }

  private static WebState web(JobStatus.Builder next) {
    return next.getWeb() != null ? next.getWeb() : WebState.newBuilder().build();
  }
}
