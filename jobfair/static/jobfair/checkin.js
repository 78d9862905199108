// The job fair's check-in: scans queue on this device (localStorage) and are sent to the
// server when it answers; each scan carries a nonce, so sending it twice changes nothing.
// The server decides valid / already used / wrong time / wrong list; the log keeps its word.
(function () {
  "use strict";
  var root = document.getElementById("jf-checkin");
  if (!root) return;
  var form = document.getElementById("jf-scan-form");
  var input = document.getElementById("jf-token");
  var list = document.getElementById("jf-list");
  var feedback = document.getElementById("jf-feedback");
  var log = document.getElementById("jf-log");
  var counter = document.getElementById("jf-counter");
  var pending = document.getElementById("jf-pending");
  var net = document.getElementById("jf-net");
  var key = "jf-queue-" + root.dataset.fair;
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function device() {
    var id = localStorage.getItem("jf-device");
    if (!id) {
      id = "device-" + Math.random().toString(36).slice(2, 8);
      localStorage.setItem("jf-device", id);
    }
    return id;
  }
  function queue() { try { return JSON.parse(localStorage.getItem(key) || "[]"); } catch (e) { return []; } }
  function save(items) { localStorage.setItem(key, JSON.stringify(items)); pending.textContent = items.length; }
  function nonce() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return device() + "-" + Array.prototype.map.call(bytes, function (b) { return b.toString(16).padStart(2, "0"); }).join("");
  }
  function show(result, text) {
    feedback.className = "jf-feedback jf-" + result;
    feedback.textContent = text;
    var item = document.createElement("li");
    item.className = "jf-" + result;
    item.textContent = new Date().toLocaleTimeString() + " · " + text;
    log.insertBefore(item, log.firstChild);
  }
  function online(yes) {
    net.textContent = yes ? root.dataset.labelOnline : root.dataset.labelOffline;
    net.className = "badge " + (yes ? "bg-success" : "bg-danger");
  }
  var syncing = false;
  function sync() {
    var items = queue();
    if (syncing || !items.length) return Promise.resolve();
    syncing = true;
    return fetch(root.dataset.syncUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      credentials: "same-origin",
      body: JSON.stringify({ device: device(), scans: items }),
    }).then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      online(true);
      var done = {};
      data.results.forEach(function (r) {
        done[r.nonce] = true;
        show(r.result, (r.label || root.dataset.labelUnknown) + (r.name ? ": " + r.name : ""));
      });
      save(queue().filter(function (s) { return !done[s.nonce]; }));
      counter.textContent = data.counter;
    }).catch(function () { online(false); }).finally(function () { syncing = false; });
  }
  function scan(token) {
    token = (token || "").trim();
    if (!token) return;
    var items = queue();
    items.push({ token: token, nonce: nonce(), scanned_at: new Date().toISOString(), workshop: list.value });
    save(items);
    show("queued", root.dataset.labelQueued);
    input.value = "";
    sync();
  }
  form.addEventListener("submit", function (event) { event.preventDefault(); scan(input.value); input.focus(); });
  window.addEventListener("online", sync);
  setInterval(function () {
    if (queue().length) { sync(); return; }
    fetch(root.dataset.syncUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); })
      .then(function (data) { online(true); counter.textContent = data.counter; })
      .catch(function () { online(false); });
  }, 10000);
  save(queue());
  sync();

  // The camera, where the browser has one and jsQR is loaded.
  var button = document.getElementById("jf-camera");
  var video = document.getElementById("jf-video");
  var canvas = document.getElementById("jf-canvas");
  if (window.jsQR && navigator.mediaDevices && navigator.mediaDevices.getUserMedia) {
    button.hidden = false;
    var last = "", lastAt = 0;
    button.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
        video.srcObject = stream;
        video.hidden = false;
        video.play();
        var context = canvas.getContext("2d", { willReadFrequently: true });
        (function tick() {
          if (video.readyState === video.HAVE_ENOUGH_DATA) {
            canvas.width = video.videoWidth;
            canvas.height = video.videoHeight;
            context.drawImage(video, 0, 0, canvas.width, canvas.height);
            var image = context.getImageData(0, 0, canvas.width, canvas.height);
            var code = window.jsQR(image.data, image.width, image.height);
            if (code && code.data && (code.data !== last || Date.now() - lastAt > 3000)) {
              last = code.data; lastAt = Date.now();
              scan(code.data);
            }
          }
          requestAnimationFrame(tick);
        })();
      }).catch(function () { button.hidden = true; });
    });
  }
})();
