// The shelter finder's "Use my location" button: shown only where the browser can locate the phone; the form
// works without it (a typed address).
(function () {
  var button = document.getElementById("locate"), form = document.getElementById("shelter-search");
  if (!navigator.geolocation || !button || !form) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (p) {
      form.elements.lat.value = p.coords.latitude.toFixed(6);
      form.elements.lon.value = p.coords.longitude.toFixed(6);
      form.elements.q.value = "";
      form.submit();
    }, function () { button.disabled = false; }, { enableHighAccuracy: true, timeout: 15000 });
  });
})();
