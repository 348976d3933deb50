package org.acme.healthcare.export;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The Bulk Data routes' shared OpenAPI text, said once. */
public final class ExportDocs {
    private ExportDocs() {
    }

    static final String KICK_OFF = "Starts an asynchronous export (FHIR Bulk Data Access 2.0) of what the caller may read,"
            + " as NDJSON files. Needs `Prefer: respond-async` and `Accept: application/fhir+json` (else 400)."
            + " Parameters: `_outputFormat` (application/fhir+ndjson, application/ndjson or ndjson), `_since` (an instant:"
            + " resources changed after it), `_type` (comma-separated or repeated), `_elements`, `patient` (not at system"
            + " level). `_typeFilter`, `includeAssociatedData` and any other parameter are a 400 OperationOutcome, unless"
            + " `Prefer: respond-async, handling=lenient`: then they are ignored and said in the manifest's `error` files."
            + " Answers at once (the export runs in the background): 202 with the status URL in `Content-Location`.";
    static final String KICK_OFF_POST = KICK_OFF + " By POST the parameters come in a FHIR `Parameters` resource"
            + " (`valueString`, `valueInstant`, `valueReference` for `patient`).";
    static final String ACCEPTED = "Accepted: poll `Content-Location` (an OperationOutcome says so)";
    static final String PREFER = "`respond-async` (required), optionally `handling=lenient`";
    static final String GROUP = " Group level: the patients of the organization whose id is the Group's that the caller, a"
            + " member, may read (Patient, Condition); not a member: 404.";
    static final String GROUP_UNKNOWN = "No such organization, or one the caller is not a member of";
    static final String ORGANIZATION_ID = "The organization's id";
    static final String JOB_ID = "The export's id (from Content-Location)";
    static final String NOT_FOUND = "No such export (or not the caller's, expired or cancelled)";
    /** A positive 64-bit id in a path, as the REST API's ids. */
    static final String ID_PATTERN = "^[1-9][0-9]{0,18}$";

    /** The kick-off's headers, documented once: a POST's; a GET's come with its {@link Query}. */
    public static class Headers {
        @HeaderParam("Prefer")
        @Parameter(description = PREFER, required = true, schema = @Schema(type = SchemaType.STRING, examples = "respond-async"))
        public String prefer;
    }

    /** The kick-off's query (and headers), documented once; the values are read by {@link ExportRequest#parse}. */
    public static class Query extends Headers {
        @QueryParam("_outputFormat")
        @Parameter(description = "application/fhir+ndjson (default), application/ndjson or ndjson")
        public String outputFormat;

        @QueryParam("_since")
        @Parameter(description = "Only resources changed after this instant",
                schema = @Schema(type = SchemaType.STRING, examples = "2026-01-01T00:00:00Z"))
        public String since;

        @QueryParam("_type")
        @Parameter(description = "Resource types, comma-separated or repeated: Patient, Condition (and Practitioner at system level)",
                schema = @Schema(type = SchemaType.STRING, examples = "Patient,Condition"))
        public String type;

        @QueryParam("_elements")
        @Parameter(description = "Top-level elements to keep (`name` or `Type.name`), comma-separated; the resources are tagged SUBSETTED",
                schema = @Schema(type = SchemaType.STRING, examples = "id,Patient.name"))
        public String elements;

        @QueryParam("patient")
        @Parameter(description = "Patient/{id} references, comma-separated or repeated: only these patients (not at system level)",
                schema = @Schema(type = SchemaType.STRING, examples = "Patient/7"))
        public String patient;
    }
}
