// The QR code on a slip opens /track#CODE. The fragment never reaches the server: this
// script copies it into the form, then removes it from the address bar and history.
(function () {
  "use strict";
  var form = document.querySelector("[data-track-form]");
  if (!form || !window.location.hash) return;
  var code = decodeURIComponent(window.location.hash.slice(1)).trim();
  if (history.replaceState) history.replaceState(null, "", window.location.pathname);
  if (!code) return;
  var input = form.querySelector("input[name=code]");
  input.value = code;
  form.querySelector("button[type=submit]").focus();
})();
