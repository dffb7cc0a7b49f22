package io.capstan.storage;

import io.capstan.runtime.config.Setting;

/**
 * The folder of storage vendor 99 (and of jobs without storage). One setting for every service
 * that writes or reads the local store (the uploader writes it, ingest reads recordings back for
 * post-processing), so they cannot disagree; they must share the folder (same machine or volume).
 */
public final class LocalRoot {

  public static final Setting<String> SETTING = Setting.string("uploader.local.root", "./recordings",
      "folder of storage vendor 99 (and of jobs without storage): files go to <root>/<bucket>/<prefix>/<name>");

  private LocalRoot() {
  }
}
