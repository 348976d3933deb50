package org.acme.healthcare.ops;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.jboss.logging.Logger;

/** Test-only endpoint: logs one line from a blocking (worker-thread) resource method. */
@Path("/test-support/log-probe")
public class LogProbeResource {
    static final String LOGGER = "org.acme.healthcare.test.LogProbe";
    private static final Logger LOG = Logger.getLogger(LOGGER);

    @GET
    @PermitAll
    @Produces(MediaType.TEXT_PLAIN)
    public String probe() {
        LOG.info("log probe");
        return Thread.currentThread().getName();
    }
}
