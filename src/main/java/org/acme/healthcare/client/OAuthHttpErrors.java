package org.acme.healthcare.client;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;

import org.acme.healthcare.http.PathErrorBodies;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Errors the HTTP layer answers before JAX-RS (413, a broken Content-Length) are OAuth's JSON on the token endpoint too. */
@ApplicationScoped
public class OAuthHttpErrors implements PathErrorBodies {
    private final ObjectMapper json;

    OAuthHttpErrors(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public Optional<Body> body(String path, int status, String detail) {
        if (!OAuthErrors.isTokenPath(path)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Body(MediaType.APPLICATION_JSON, json.writeValueAsString(OAuthErrors.error(status, detail))));
        } catch (JsonProcessingException e) {
            return Optional.of(new Body(MediaType.APPLICATION_JSON, "{\"error\":\"invalid_request\"}"));
        }
    }
}
