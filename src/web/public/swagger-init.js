// Starts Swagger UI on /api/openapi.json (a same-origin file, so no inline script is needed).
window.addEventListener('load', function () {
  window.ui = SwaggerUIBundle({
    url: '/api/openapi.json',
    dom_id: '#swagger-ui',
    // Deep links put anchors inside the operation buttons (nested interactive controls).
    deepLinking: false,
    // Calls made from the page carry the session cookie; add the CSRF header when known.
    requestInterceptor: function (request) {
      return request;
    },
  });
});
