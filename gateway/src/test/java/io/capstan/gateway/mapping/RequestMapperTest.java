package io.capstan.gateway.mapping;

import static io.capstan.gateway.mapping.Bodies.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.capstan.schemas.Layout;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Subscriptions;
import io.capstan.schemas.UpdateCommand;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestMapperTest {

  @Test
  void acquireOfTheDocumentedExample() {
    RequestMapper.Acquire acquire = RequestMapper.acquire(parse("""
        {"cname": "httpClient463224", "uid": "527841", "clientRequest": {"resourceExpiredHour": 24, "scene": 0}}
        """));
    assertThat(acquire.caller()).isEqualTo(new Caller("httpClient463224", "527841"));
    assertThat(acquire.scene()).isZero();
    assertThat(acquire.resourceExpiredHour()).isEqualTo(24);
    assertThatThrownBy(() -> RequestMapper.acquire(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {"scene": 3}}""")))
        .hasMessage("clientRequest.scene: must be between 0 and 2, got 3");
    assertThatThrownBy(() -> RequestMapper.acquire(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {"resourceExpiredHour": 0}}""")))
        .hasMessage("clientRequest.resourceExpiredHour: must be between 1 and 720, got 0");
  }

  @Test
  void updateReplacesTheListsOfTheMediaItNames() {
    Subscriptions current = Subscriptions.newBuilder().setAudioUids(List.of("1")).setVideoUids(List.of("1", "2")).build();
    UpdateCommand command = RequestMapper.update(parse("""
        {
          "cname": "httpClient463224",
          "uid": "527841",
          "clientRequest": {
            "streamSubscribe": {
              "audioUidList": {"unsubscribeAudioUids": ["123"]}
            }
          }
        }
        """), RecordingMode.COMPOSITE, current).command();
    assertThat(command.getSubscriptions().getAudioUids()).isNull();
    assertThat(command.getSubscriptions().getUnsubscribeAudioUids()).containsExactly("123");
    assertThat(command.getSubscriptions().getVideoUids()).containsExactly("1", "2");
    assertThat(command.getStorage()).isNull();
    assertThat(command.getOnhold()).isNull();

    UpdateCommand both = RequestMapper.update(parse("""
        {
          "cname": "httpClient463224",
          "uid": "527841",
          "clientRequest": {
            "streamSubscribe": {
              "audioUidList": {"subscribeAudioUids": ["#allstream#"]},
              "videoUidList": {"subscribeVideoUids": ["123", "456"]}
            }
          }
        }
        """), RecordingMode.COMPOSITE, current).command();
    assertThat(both.getSubscriptions()).isEqualTo(Subscriptions.newBuilder().setVideoUids(List.of("123", "456")).build());
  }

  @Test
  void updateOfWebModeAndOfStorage() {
    UpdateCommand onhold = RequestMapper.update(parse("""
        {"cname": "httpClient463224", "uid": "527841", "clientRequest": {"webRecordingConfig": {"onhold": true}}}
        """), RecordingMode.WEB, null).command();
    assertThat(onhold.getOnhold()).isTrue();
    UpdateCommand storage = RequestMapper.update(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {"storageConfig": {"vendor": 1, "region": 0, "bucket": "b",
          "accessKey": "a", "secretKey": "s", "stsToken": "new", "stsExpiration": 1893456000}}}
        """), RecordingMode.INDIVIDUAL, null).command();
    assertThat(storage.getStorage().getStsToken()).isEqualTo("new");
  }

  @Test
  void invalidUpdatesNameTheirField() {
    assertThatThrownBy(() -> RequestMapper.update(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {"streamSubscribe": {"audioUidList": {
          "subscribeAudioUids": ["1"], "unsubscribeAudioUids": ["2"]}}}}"""), RecordingMode.COMPOSITE, null))
        .hasMessage("clientRequest.streamSubscribe.audioUidList.unsubscribeAudioUids: not together with subscribeAudioUids");
    assertThatThrownBy(() -> RequestMapper.update(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {"webRecordingConfig": {"onhold": true}}}"""), RecordingMode.COMPOSITE, null))
        .hasMessage("clientRequest.webRecordingConfig: only in web mode");
    assertThatThrownBy(() -> RequestMapper.update(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {"streamSubscribe": {}}}"""), RecordingMode.COMPOSITE, null))
        .hasMessage("clientRequest.streamSubscribe: give audioUidList or videoUidList");
    assertThatThrownBy(() -> RequestMapper.update(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {}}"""), RecordingMode.COMPOSITE, null))
        .hasMessageStartingWith("clientRequest: nothing to update");
    assertThatThrownBy(() -> RequestMapper.update(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {"streamSubscribe": {"videoUidList": {"subscribeVideoUids": "1"}}}}"""),
        RecordingMode.COMPOSITE, null))
        .hasMessage("clientRequest.streamSubscribe.videoUidList.subscribeVideoUids: must be an array");
  }

  @Test
  void updateLayoutReplacesTheWholeLayout() {
    Layout layout = RequestMapper.updateLayout(parse("""
        {
          "cname": "httpClient463224",
          "uid": "527841",
          "clientRequest": {
            "maxResolutionUid": "123",
            "mixedVideoLayout": 2,
            "backgroundColor": "#FF0000",
            "defaultUserBackgroundImage": "https://example.com/user.png",
            "backgroundConfig": [{"uid": "123", "image_url": "https://example.com/123.png", "render_mode": 1}]
          }
        }
        """)).command().getLayout();
    assertThat(layout.getMixedVideoLayout()).isEqualTo(2);
    assertThat(layout.getMaxResolutionUid()).isEqualTo("123");
    assertThat(layout.getBackgroundColor()).isEqualTo("#FF0000");
    assertThat(layout.getBackgroundImage()).isNull();
    assertThat(layout.getUserBackgrounds()).hasSize(1);
    assertThat(layout.getUserBackgrounds().get(0).getRenderMode()).isEqualTo(1);

    assertThatThrownBy(() -> RequestMapper.updateLayout(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {"mixedVideoLayout": 3, "layoutConfig": [
          {"x_axis": 0.1, "y_axis": 0.1, "width": 0.2}]}}""")))
        .hasMessage("clientRequest.layoutConfig[0].height: missing");
  }

  @Test
  void stopBodies() {
    assertThat(RequestMapper.stop(parse("""
        {"cname": "httpClient463224", "uid": "527841", "clientRequest": {}}""")).asyncStop()).isFalse();
    assertThat(RequestMapper.stop(parse("""
        {"cname": "httpClient463224", "uid": "527841", "clientRequest": {"async_stop": true}}""")).asyncStop()).isTrue();
    assertThatThrownBy(() -> RequestMapper.stop(parse("""
        {"cname": "c", "uid": "1", "clientRequest": {"async_stop": "yes"}}""")))
        .hasMessage("clientRequest.async_stop: must be true or false");
  }
}
