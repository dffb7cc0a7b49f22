package io.capstan.gateway.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Request bodies shaped as the hosted product's documentation shows them, and edits of them. */
final class Bodies {

  static final ObjectMapper JSON = new ObjectMapper();

  /** start, mix mode: the documented composite example, storage and transcoding config. */
  static final String MIX_START = """
      {
        "cname": "httpClient463224",
        "uid": "527841",
        "clientRequest": {
          "token": "007eJxTYPj3a",
          "recordingConfig": {
            "maxIdleTime": 30,
            "streamTypes": 2,
            "audioProfile": 1,
            "channelType": 0,
            "videoStreamType": 0,
            "transcodingConfig": {
              "height": 640,
              "width": 360,
              "bitrate": 500,
              "fps": 15,
              "mixedVideoLayout": 1,
              "backgroundColor": "#FF0000"
            },
            "subscribeVideoUids": ["123", "456"],
            "subscribeAudioUids": ["123", "456"],
            "subscribeUidGroup": 0
          },
          "recordingFileConfig": {
            "avFileType": ["hls", "mp4"]
          },
          "storageConfig": {
            "accessKey": "xxxxxxf",
            "region": 3,
            "bucket": "xxxxx",
            "secretKey": "xxxxx",
            "vendor": 2,
            "fileNamePrefix": ["directory1", "directory2"]
          }
        }
      }
      """;

  /** start, mix mode with a custom layout (mixedVideoLayout 3) and per-uid backgrounds. */
  static final String MIX_CUSTOM_LAYOUT = """
      {
        "cname": "httpClient463224",
        "uid": "527841",
        "clientRequest": {
          "recordingConfig": {
            "channelType": 1,
            "streamTypes": 2,
            "transcodingConfig": {
              "width": 1280,
              "height": 720,
              "fps": 30,
              "bitrate": 2260,
              "mixedVideoLayout": 3,
              "backgroundColor": "#00ff00",
              "backgroundImage": "https://example.com/bg.png",
              "defaultUserBackgroundImage": "https://example.com/user.png",
              "layoutConfig": [
                {"uid": "1", "x_axis": 0.0, "y_axis": 0.0, "width": 0.5, "height": 1.0, "alpha": 1.0, "render_mode": 1},
                {"x_axis": 0.5, "y_axis": 0.25, "width": 0.5, "height": 0.5, "alpha": 0.5, "render_mode": 0}
              ],
              "backgroundConfig": [
                {"uid": "1", "image_url": "https://example.com/1.png", "render_mode": 0}
              ]
            }
          },
          "storageConfig": {
            "vendor": 1,
            "region": 0,
            "bucket": "recordings",
            "accessKey": "AKIA",
            "secretKey": "secret",
            "extensionParams": {"sse": "kms", "tag": "project=demo"}
          }
        }
      }
      """;

  /** start, individual mode with snapshots. */
  static final String INDIVIDUAL_START = """
      {
        "cname": "httpClient463224",
        "uid": "527841",
        "clientRequest": {
          "token": "",
          "recordingConfig": {
            "maxIdleTime": 120,
            "streamTypes": 2,
            "streamMode": "standard",
            "channelType": 1,
            "videoStreamType": 1,
            "decryptionMode": 5,
            "secret": "s3cret-passphrase",
            "unSubscribeAudioUids": ["999"],
            "subscribeUidGroup": 2
          },
          "snapshotConfig": {
            "captureInterval": 5,
            "fileType": ["jpg"]
          },
          "storageConfig": {
            "vendor": 3,
            "region": 0,
            "bucket": "xxxxx",
            "accessKey": "xxxxxxf",
            "secretKey": "xxxxx"
          }
        }
      }
      """;

  /** start, web mode: the web_recorder_service and an RTMP push. */
  static final String WEB_START = """
      {
        "cname": "httpClient463224",
        "uid": "527841",
        "clientRequest": {
          "token": "",
          "extensionServiceConfig": {
            "errorHandlePolicy": "error_abort",
            "extensionServices": [
              {
                "serviceName": "web_recorder_service",
                "errorHandlePolicy": "error_abort",
                "serviceParam": {
                  "url": "https://www.example.com/class?id=1",
                  "audioProfile": 0,
                  "videoWidth": 1280,
                  "videoHeight": 720,
                  "maxRecordingHour": 72,
                  "maxVideoDuration": 200,
                  "onhold": false,
                  "readyTimeout": 0
                }
              },
              {
                "serviceName": "rtmp_publish_service",
                "errorHandlePolicy": "error_ignore",
                "serviceParam": {
                  "outputs": [{"rtmpUrl": "rtmp://live.example.com/app/key"}]
                }
              }
            ]
          },
          "recordingFileConfig": {"avFileType": ["hls", "mp4"]},
          "storageConfig": {
            "vendor": 2,
            "region": 3,
            "bucket": "xxxxx",
            "accessKey": "xxxxxxf",
            "secretKey": "xxxxx",
            "fileNamePrefix": ["directory1", "directory2"]
          }
        }
      }
      """;

  private Bodies() {
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /**
   * {@code body} with the value at {@code pointer} (JSON Pointer, "/clientRequest/storageConfig/vendor")
   * replaced by {@code valueJson}, or removed when {@code valueJson} is null.
   */
  static JsonNode edit(String body, String pointer, String valueJson) {
    JsonNode root = parse(body);
    int slash = pointer.lastIndexOf('/');
    JsonNode parent = root.at(pointer.substring(0, slash));
    String last = pointer.substring(slash + 1);
    if (parent instanceof ArrayNode array) {
      array.set(Integer.parseInt(last), parse(valueJson));
    } else if (valueJson == null) {
      ((ObjectNode) parent).remove(last);
    } else {
      ((ObjectNode) parent).set(last, parse(valueJson));
    }
    return root;
  }
}
