/* /api/v1/docs: Swagger UI on the API's OpenAPI document (vendored bundle, no CDN). */
(function () {
  var el = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({ url: el.dataset.spec, dom_id: "#swagger-ui", deepLinking: true,
                                persistAuthorization: false, tryItOutEnabled: false });
})();
