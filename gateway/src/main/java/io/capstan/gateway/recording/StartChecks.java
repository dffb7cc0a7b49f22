package io.capstan.gateway.recording;

import io.capstan.gateway.mapping.InvalidRequestException;
import io.capstan.runtime.net.AddressPolicy;
import io.capstan.runtime.net.RefusedAddressException;
import io.capstan.runtime.source.SourcePolicy;
import io.capstan.runtime.source.SourceUrl;
import io.capstan.runtime.spec.JobSpecValidator;
import io.capstan.schemas.JobSpec;
import io.capstan.schemas.Layout;
import io.capstan.schemas.RecordingMode;
import io.capstan.schemas.Source;
import io.capstan.schemas.UserBackground;
import io.capstan.schemas.Webhook;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a start must pass before the gateway answers 200: ingest's own check of the spec (the same
 * {@link JobSpecValidator}, so nothing ingest would refuse gets a yes), then every host the caller
 * named — sources, images, storage endpoint, page, RTMP outputs, webhooks — resolved and checked
 * against the {@link AddressPolicy}. Refusals name the request's field.
 */
public final class StartChecks {

  private final JobSpecValidator validator;
  private final AddressPolicy addresses;

  public StartChecks(JobSpecValidator validator, AddressPolicy addresses) {
    this.validator = validator;
    this.addresses = addresses;
  }

  /** @throws InvalidRequestException naming the request's field */
  public void check(JobSpec spec) {
    Optional<JobSpecValidator.Problem> problem = validator.problem(spec);
    if (problem.isPresent()) {
      throw new InvalidRequestException(SpecFields.requestName(problem.get().field(), spec.getMode()),
          problem.get().what());
    }
    List<NamedUrl> urls = new ArrayList<>();
    for (int i = 0; i < spec.getSources().size(); i++) {
      Source source = spec.getSources().get(i);
      urls.add(new NamedUrl("clientRequest.sources[" + i + "].url", source.getUrl()));
      if (source.getLowUrl() != null) {
        urls.add(new NamedUrl("clientRequest.sources[" + i + "].lowUrl", source.getLowUrl()));
      }
    }
    if (spec.getTranscoding() != null && spec.getMode() != RecordingMode.WEB) {
      images("clientRequest.recordingConfig.transcodingConfig", spec.getTranscoding().getLayout(), urls);
    }
    if (spec.getStorage() != null) {
      endpoint("clientRequest.storageConfig.endpoint", spec.getStorage().getEndpoint(), urls);
      endpoint("clientRequest.storageConfig.extensionParams.endpoint",
          spec.getStorage().getExtensionParams().get("endpoint"), urls);
    }
    if (spec.getWeb() != null) {
      urls.add(new NamedUrl("clientRequest.extensionServiceConfig.serviceParam.url", spec.getWeb().getUrl()));
      for (String rtmp : spec.getWeb().getRtmpUrls()) {
        urls.add(new NamedUrl("clientRequest.extensionServiceConfig.outputs.rtmpUrl", rtmp));
      }
    }
    for (Webhook webhook : spec.getWebhooks()) {
      urls.add(new NamedUrl("clientRequest.notificationConfig.url", webhook.getUrl()));
    }
    reachable(urls);
  }

  /** The images of an updateLayout body. */
  public void checkLayout(Layout layout) {
    List<NamedUrl> urls = new ArrayList<>();
    images("clientRequest", layout, urls);
    reachable(urls);
  }

  private record NamedUrl(String field, String url) {
  }

  /** A store's endpoint: a URL, or host[:port]. */
  private static void endpoint(String field, String endpoint, List<NamedUrl> urls) {
    if (endpoint != null) {
      urls.add(new NamedUrl(field, endpoint.contains("://") ? endpoint : "https://" + endpoint));
    }
  }

  private static void images(String prefix, Layout layout, List<NamedUrl> urls) {
    if (layout == null) {
      return;
    }
    if (layout.getBackgroundImage() != null) {
      urls.add(new NamedUrl(prefix + ".backgroundImage", layout.getBackgroundImage()));
    }
    if (layout.getDefaultUserBackgroundImage() != null) {
      urls.add(new NamedUrl(prefix + ".defaultUserBackgroundImage", layout.getDefaultUserBackgroundImage()));
    }
    List<UserBackground> backgrounds = layout.getUserBackgrounds();
    for (int i = 0; i < backgrounds.size(); i++) {
      urls.add(new NamedUrl(prefix + ".backgroundConfig[" + i + "].backgroundImage", backgrounds.get(i).getImageUrl()));
    }
  }

  /** Every network host resolves to addresses the policy allows (files and lavfi graphs have none). */
  private void reachable(List<NamedUrl> urls) {
    if (addresses.allowsPrivate()) {
      return;
    }
    for (NamedUrl named : urls) {
      String host = host(named.url());
      if (host == null) {
        continue;
      }
      try {
        addresses.resolve(host);
      } catch (RefusedAddressException e) {
        throw new InvalidRequestException(named.field(), e.getMessage());
      }
    }
  }

  private static String host(String url) {
    try {
      SourceUrl source = SourceUrl.parse(url);
      return source.kind() == SourceUrl.Kind.LIVE ? SourcePolicy.host(source) : null;
    } catch (IllegalArgumentException e) {
      // Not a source URL (an image or webhook the mappers already checked): take its host as a URI's.
      try {
        return URI.create(url).getHost();
      } catch (IllegalArgumentException notUri) {
        return null;
      }
    }
  }
}
