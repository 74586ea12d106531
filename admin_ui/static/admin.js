// Staff UI behaviour (no inline scripts: the CSP allows script-src 'self' only).
(function () {
  "use strict";
  // Show 4xx/5xx answers to HTMX requests in the flash region instead of silently dropping them.
  document.addEventListener("htmx:beforeSwap", function (evt) {
    var xhr = evt.detail.xhr;
    if (xhr.status >= 400) {
      if (xhr.status === 401) { window.location.href = "/admin/login"; return; }
      evt.detail.shouldSwap = true;
      evt.detail.isError = false;
      evt.detail.target = document.getElementById("flash");
      evt.detail.swapOverride = "innerHTML";
    }
  });
  // Ask before destructive actions marked with data-confirm.
  document.addEventListener("submit", function (evt) {
    var msg = evt.target.getAttribute && evt.target.getAttribute("data-confirm");
    if (msg && !window.confirm(msg)) { evt.preventDefault(); }
  }, true);
})();
