package org.acme.healthcare.condition;

import java.time.Instant;
import java.time.LocalDate;

import jakarta.validation.Valid;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.acme.healthcare.json.RequestBodies.Patch;
import org.acme.healthcare.validation.BirthDate;
import org.acme.healthcare.validation.VisibleText;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The body of POST and PUT of a condition. Every field is a {@link Patch} (PUT: absent leaves a
 * field, null clears it). {@code code} or {@code text} is required of the result.
 */
@Schema(name = "ConditionRequest", description = "`code` or `text` is required (on PUT: of the result). On PUT, absent"
        + " fields stay as they are and `null` clears an optional one. Every bad field is reported at once.")
public record ConditionRequest(
        @Schema(implementation = ConditionCode.class, nullable = true)
        Patch<@Valid ConditionCode> code,

        @Schema(implementation = String.class, nullable = true, maxLength = 2000, examples = "Type 2 diabetes, diet-controlled")
        Patch<@Size(max = 2000) @VisibleText String> text,

        @Schema(implementation = String.class, nullable = true, enumeration = { "problem-list-item", "encounter-diagnosis",
                "health-concern" }, defaultValue = "problem-list-item", examples = "problem-list-item")
        Patch<@Pattern(regexp = CATEGORIES, message = "must be problem-list-item, encounter-diagnosis or health-concern") String> category,

        @Schema(implementation = String.class, nullable = true, enumeration = { "active", "recurrence", "relapse", "inactive",
                "remission", "resolved" }, examples = "resolved", description = "A problem-list item without one is recorded as"
                + " `active` (FHIR requires a clinical status on a problem-list item)")
        Patch<@Pattern(regexp = CLINICAL, message = "must be active, recurrence, relapse, inactive, remission or resolved") String> clinicalStatus,

        @Schema(implementation = String.class, nullable = true, enumeration = { "unconfirmed", "provisional", "differential",
                "confirmed", "refuted" }, examples = "confirmed")
        Patch<@Pattern(regexp = VERIFICATION, message = "must be unconfirmed, provisional, differential, confirmed or refuted") String> verificationStatus,

        @Schema(implementation = String.class, format = "date", nullable = true, examples = "2019-04-01", description = "`YYYY-MM-DD`, from 1900-01-01 to today (UTC)")
        Patch<@BirthDate(message = "must be between 1900-01-01 and today (UTC)") LocalDate> onsetDate,

        @Schema(implementation = String.class, format = "date", nullable = true, examples = "2020-01-15", description = "`YYYY-MM-DD`, not before `onsetDate`; only with a"
                + " `clinicalStatus` of inactive, remission or resolved")
        Patch<@BirthDate(message = "must be between 1900-01-01 and today (UTC)") LocalDate> abatementDate,

        @Schema(implementation = String.class, format = "date-time", nullable = true, examples = "2024-05-01T10:00:00Z",
                description = "When it was recorded; default: now. Not in the future")
        Patch<@PastOrPresent Instant> recordedAt) {

    static final String CATEGORIES = "problem-list-item|encounter-diagnosis|health-concern";
    static final String CLINICAL = "active|recurrence|relapse|inactive|remission|resolved";
    static final String VERIFICATION = "unconfirmed|provisional|differential|confirmed|refuted";
}
