package io.capstan.ingest.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A local web server of test pages. {@code /page?colors=red,lime,blue&period=2000&tone=440&ready=500}
 * shows the colours in turn, each for {@code period} ms, switching on the wall clock
 * (colour = colors[floor(Date.now() / period) % n]) so a test knows which colour any instant
 * should show; plays a sine at {@code tone} Hz through WebAudio (only while
 * colour number {@code toneOn} shows, when given); calls
 * {@code navigator.notifyReady()} after {@code ready} ms when given. Pages may report facts to
 * {@code /report?...}, which the test reads from {@link #reports()}.
 */
final class TestPages implements AutoCloseable {

  private final HttpServer server;
  private final BlockingQueue<Map<String, String>> reports = new LinkedBlockingQueue<>();

  TestPages() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/page", this::page);
    server.createContext("/report", this::report);
    server.createContext("/animated", this::animated);
    server.createContext("/probe", this::probe);
    server.start();
  }

  String url(String query) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/page?" + query;
  }

  BlockingQueue<Map<String, String>> reports() {
    return reports;
  }

  private void page(HttpExchange exchange) throws IOException {
    Map<String, String> q = query(exchange.getRequestURI());
    String colors = q.getOrDefault("colors", "white");
    String html = """
        <!doctype html><html><head><meta name="viewport" content="width=device-width">
        <style>html,body{margin:0;height:100%%;overflow:hidden}</style></head><body><script>
        const colors = '%s'.split(','), period = %s, tone = %s, ready = %s, toneOn = %s;
        let gain = null;
        if (tone > 0) {
          const ac = new AudioContext(), osc = ac.createOscillator();
          gain = ac.createGain();
          osc.frequency.value = tone; gain.gain.value = toneOn < 0 ? 0.5 : 0;
          osc.connect(gain).connect(ac.destination); osc.start();
        }
        function paint() {
          const index = Math.floor(Date.now() / period) %% colors.length;
          document.body.style.background = colors[index];
          if (gain && toneOn >= 0) gain.gain.value = index === toneOn ? 0.5 : 0;
          setTimeout(paint, period - Date.now() %% period + 5);
        }
        paint();
        if (ready >= 0) setTimeout(() => navigator.notifyReady(), ready);
        fetch('/report?ua=' + encodeURIComponent(navigator.userAgent) + '&w=' + innerWidth + '&h=' + innerHeight
          + '&touch=' + navigator.maxTouchPoints + '&notify=' + (typeof navigator.notifyReady));
        </script></body></html>
        """.formatted(colors, q.getOrDefault("period", "2000"), q.getOrDefault("tone", "0"),
        q.getOrDefault("ready", "-1"), q.getOrDefault("toneOn", "-1"));
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    sendHtml(exchange, html);
  }

  /** A busier page: a box sliding and text changing on every animation frame, and a tone. */
  private void animated(HttpExchange exchange) throws IOException {
    String html = """
        <!doctype html><html><head><style>
        html,body{margin:0;height:100%;overflow:hidden;background:#246;font:48px sans-serif;color:#fff}
        #box{position:absolute;top:40%;width:200px;height:200px;background:#fc0;animation:slide 3s linear infinite alternate}
        @keyframes slide{from{left:0}to{left:calc(100% - 200px)}}
        </style></head><body><div id="box"></div><div id="clock"></div><script>
        const clock = document.getElementById('clock');
        (function tick() { clock.textContent = new Date().toISOString(); requestAnimationFrame(tick); })();
        const ac = new AudioContext(), osc = ac.createOscillator(), gain = ac.createGain();
        osc.frequency.value = 440; gain.gain.value = 0.3; osc.connect(gain).connect(ac.destination); osc.start();
        </script></body></html>
        """;
    sendHtml(exchange, html);
  }

  /** {@code /probe?target=URL}: fetches {@code target} and reports {@code probe=reached|failed}. */
  private void probe(HttpExchange exchange) throws IOException {
    String target = query(exchange.getRequestURI()).getOrDefault("target", "");
    String html = """
        <!doctype html><html><body style="background:#fff"><script>
        fetch(%s, {mode: 'no-cors'}).then(() => 'reached', () => 'failed')
          .then(r => fetch('/report?probe=' + r));
        </script></body></html>
        """.formatted("'" + target.replace("'", "") + "'");
    sendHtml(exchange, html);
  }

  String probeUrl(String target) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/probe?target="
        + java.net.URLEncoder.encode(target, StandardCharsets.UTF_8);
  }

  private static void sendHtml(HttpExchange exchange, String html) throws IOException {
    byte[] body = html.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  String animatedUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/animated";
  }

  private void report(HttpExchange exchange) throws IOException {
    reports.add(query(exchange.getRequestURI()));
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> map = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        List<String> kv = List.of(pair.split("=", 2));
        map.put(URLDecoder.decode(kv.get(0), StandardCharsets.UTF_8),
            kv.size() > 1 ? URLDecoder.decode(kv.get(1), StandardCharsets.UTF_8) : "");
      }
    }
    return map;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
