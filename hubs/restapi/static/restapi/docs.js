// Starts Swagger UI on the API's schema (the URL rides in a data- attribute: no inline script).
(function () {
  "use strict";
  var root = document.getElementById("swagger-ui");
  if (!root || typeof SwaggerUIBundle !== "function") {
    return;
  }
  SwaggerUIBundle({
    url: root.dataset.schemaUrl,
    domNode: root,
    // Deep links put a link inside each operation's toggle button (nested controls): off.
    deepLinking: false,
    tagsSorter: "alpha",
    tryItOutEnabled: false,
    persistAuthorization: false,
    onComplete: function () {
      var servers = document.getElementById("servers");
      if (servers && !servers.getAttribute("aria-label")) {
        servers.setAttribute("aria-label", root.dataset.serversLabel || "Servers");
      }
    },
  });
})();
