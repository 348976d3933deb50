package org.acme.healthcare.organization;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Invitations' settings ({@code healthcare.invitation.*}, {@code HEALTHCARE_INVITATION_*}). */
@ConfigMapping(prefix = "healthcare.invitation")
public interface InvitationsConfig {
    /** How long an invitation's code can be accepted. */
    @WithDefault("7D")
    Duration lifetime();
}
