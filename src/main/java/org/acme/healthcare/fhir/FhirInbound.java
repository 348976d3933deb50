package org.acme.healthcare.fhir;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.Path;
import jakarta.validation.Validator;

import org.acme.healthcare.common.ApiException;
import org.acme.healthcare.common.Problem;
import org.acme.healthcare.condition.Codes;
import org.acme.healthcare.condition.ConditionCode;
import org.acme.healthcare.condition.ConditionRequest;
import org.acme.healthcare.json.RequestBodies.Patch;
import org.acme.healthcare.json.RequestBodies.Patch.OnCreate;
import org.acme.healthcare.json.RequestBodies.Patch.OnUpdate;
import org.acme.healthcare.patient.Gender;
import org.acme.healthcare.patient.Identifier;
import org.acme.healthcare.patient.PatientRequest;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.StringType;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.ErrorHandlerAdapter;
import ca.uhn.fhir.parser.json.BaseJsonLikeValue;

/**
 * FHIR in: a request body parsed into a resource, and a Patient or Condition mapped onto the REST
 * API's request records ({@link PatientRequest}, {@link ConditionRequest}), so that a FHIR write
 * goes through the same services, validation and rules as a REST one. What breaks US Core 6.1.0's
 * required elements or the record's rules is a 422 naming the element; the REST validation's field
 * errors are renamed to the FHIR elements they came from ({@link Mapped#paths}).
 * <p>
 * Parsing is strict: an element FHIR R4 does not define, a value of the wrong JSON type or one a
 * FHIR datatype does not allow (a date {@code 1990-13-45}, a gender {@code x}) makes the body
 * unparsable (400), since dropping it silently would lose what the client meant to record.
 * Elements FHIR defines that the record does not keep (extensions, maritalStatus, a second name)
 * are accepted and not stored: docs/fhir.md lists what is kept.
 */
final class FhirInbound {
    /** The identifier system under which the read side answers the record's own id: never stored as a business identifier. */
    static final String OWN_ID_SYSTEM = FhirMapper.PATIENT_ID_SYSTEM;
    static final String CATEGORY_SYSTEM = FhirMapper.CONDITION_CATEGORY;
    static final String US_CORE_CATEGORY_SYSTEM = FhirMapper.US_CORE_CONDITION_CATEGORY;
    static final String CLINICAL_SYSTEM = FhirMapper.CONDITION_CLINICAL;
    static final String VERIFICATION_SYSTEM = FhirMapper.CONDITION_VERIFICATION;
    private static final Set<String> CLINICAL = Set.of("active", "recurrence", "relapse", "inactive", "remission", "resolved");
    private static final Set<String> VERIFICATION = Set.of("unconfirmed", "provisional", "differential", "confirmed", "refuted");
    private static final Set<String> ABATED = Set.of("inactive", "remission", "resolved");
    private static final Pattern ORGANIZATION = Pattern.compile("Organization/([1-9][0-9]{0,18})");

    private FhirInbound() {
    }

    /** A request record and how its REST field names read as FHIR element paths (relative to the resource). */
    record Mapped<R>(R request, UnaryOperator<String> paths) {
    }

    /** A Condition's request and the {@code subject} reference as sent (resolved by the caller: a bundle knows its urn:uuids). */
    record MappedCondition(ConditionRequest request, String subject, UnaryOperator<String> paths) {
    }

    // ---------------------------------------------------------------- parsing

    /** The body as a FHIR resource of this type: 400 when it is not UTF-8 JSON, not FHIR R4, or another type. */
    static <T extends IBaseResource> T parse(Fhir fhir, byte[] body, Class<T> type) {
        IBaseResource resource = parse(fhir, body);
        if (!type.isInstance(resource)) {
            throw FhirInvalid.unparsable("The body must be a " + type.getSimpleName() + " resource (its resourceType says otherwise).");
        }
        return type.cast(resource);
    }

    static IBaseResource parse(Fhir fhir, byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw FhirInvalid.unparsable("The body is not valid UTF-8.");
        }
        if (text.isBlank()) {
            throw FhirInvalid.unparsable("The body is empty; it must be a FHIR R4 resource in JSON.");
        }
        Collector errors = new Collector();
        IBaseResource resource;
        try {
            resource = fhir.context().newJsonParser().setParserErrorHandler(errors).parseResource(text);
        } catch (DataFormatException | IllegalArgumentException | ClassCastException e) {
            // HAPI's message can quote the input: never passed on.
            throw FhirInvalid.unparsable("The body is not a FHIR R4 resource in JSON (a JSON object with a known resourceType).");
        }
        if (!errors.issues.isEmpty()) {
            throw new FhirInvalid(400, errors.issues);
        }
        return resource;
    }

    /** Every complaint of HAPI's parser, named by element (never by value). */
    static final class Collector extends ErrorHandlerAdapter {
        final List<FhirInvalid.Issue> issues = new ArrayList<>();

        private void add(IParseLocation location, String message) {
            if (issues.size() < 50) {
                String parent = location == null ? null : location.getParentElementName();
                issues.add(new FhirInvalid.Issue(null, parent == null ? message : "in " + clip(parent) + ": " + message));
            }
        }

        @Override
        public void unknownElement(IParseLocation location, String name) {
            add(location, "unknown element " + clip(name) + " (not in FHIR R4)");
        }

        @Override
        public void unknownAttribute(IParseLocation location, String name) {
            add(location, "unknown attribute " + clip(name));
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation location, String name) {
            add(location, clip(name) + " does not repeat");
        }

        @Override
        public void incorrectJsonType(IParseLocation location, String name, BaseJsonLikeValue.ValueType expected,
                BaseJsonLikeValue.ScalarType expectedScalar, BaseJsonLikeValue.ValueType found,
                BaseJsonLikeValue.ScalarType foundScalar) {
            add(location, clip(name) + " has the wrong JSON type");
        }

        @Override
        public void invalidValue(IParseLocation location, String value, String error) {
            add(location, "a value is not valid for its FHIR datatype");
        }

        @Override
        public void missingRequiredElement(IParseLocation location, String name) {
            add(location, clip(name) + " is required");
        }

        @Override
        public void containedResourceWithNoId(IParseLocation location) {
            add(location, "a contained resource has no id");
        }

        @Override
        public void invalidInternalReference(IParseLocation location, String reference) {
            add(location, "a reference to a contained resource that is not there");
        }

        @Override
        public void extensionContainsValueAndNestedExtensions(IParseLocation location) {
            add(location, "an extension has both a value and nested extensions");
        }

        private static String clip(String name) {
            return name == null ? "?" : name.length() > 64 ? name.substring(0, 64) + "…" : name;
        }
    }

    // ---------------------------------------------------------------- Patient

    /**
     * A Patient as a {@link PatientRequest}. {@code replace} (PUT): every mapped field is set, an
     * absent one cleared, as FHIR's update replaces the resource; the record's organization is
     * changed only by a {@code managingOrganization} that is there (a patient never leaves one).
     */
    static Mapped<PatientRequest> patient(Patient r, boolean replace, Validator validator) {
        List<FhirInvalid.Issue> issues = new ArrayList<>();
        // name: the official one, else the first; text, or given and family joined
        int n = -1;
        for (int i = 0; i < r.getName().size() && n < 0; i++) {
            if (r.getName().get(i).getUse() == HumanName.NameUse.OFFICIAL) {
                n = i;
            }
        }
        String name = null;
        String family = null;
        List<String> given = null;
        if (r.getName().isEmpty()) {
            issues.add(issue("name", "is required (US Core: at least one name)"));
        } else {
            n = Math.max(n, 0);
            HumanName h = r.getName().get(n);
            family = blankToNull(h.getFamily());
            given = h.getGiven().stream().map(StringType::getValue).filter(v -> v != null && !v.isBlank()).toList();
            name = blankToNull(h.getText());
            if (name == null) {
                List<String> parts = new ArrayList<>(given);
                if (family != null) {
                    parts.add(family);
                }
                name = parts.isEmpty() ? null : String.join(" ", parts);
            }
            if (name == null) {
                issues.add(issue("name[" + n + "]", "needs a text, a family or a given name"));
            }
        }
        Gender gender = null;
        if (r.getGender() == null || r.getGender() == org.hl7.fhir.r4.model.Enumerations.AdministrativeGender.NULL) {
            issues.add(issue("gender", "is required (US Core; unknown when it is not known)"));
        } else {
            gender = Gender.parse(r.getGender().toCode());
        }
        List<Identifier> identifiers = new ArrayList<>();
        List<Integer> identifierIndex = new ArrayList<>();
        if (r.getIdentifier().isEmpty()) {
            issues.add(issue("identifier", "at least one is required (US Core), such as a medical record number"));
        }
        for (int i = 0; i < r.getIdentifier().size(); i++) {
            var id = r.getIdentifier().get(i);
            String system = blankToNull(id.getSystem());
            String value = blankToNull(id.getValue());
            if (system == null) {
                issues.add(issue("identifier[" + i + "].system", "is required"));
            }
            if (value == null) {
                issues.add(issue("identifier[" + i + "].value", "is required"));
            }
            if (system != null && value != null && !system.equals(OWN_ID_SYSTEM)) {
                identifiers.add(new Identifier(system, value));
                identifierIndex.add(i);
            }
        }
        LocalDate birthDate = null;
        if (r.hasBirthDateElement() && r.getBirthDateElement().getValueAsString() != null) {
            birthDate = fullDate(r.getBirthDateElement());
            if (birthDate == null) {
                issues.add(issue("birthDate", "must be a full date (YYYY-MM-DD)"));
            }
        }
        String phone = null;
        String email = null;
        int phoneAt = -1;
        int emailAt = -1;
        for (int i = 0; i < r.getTelecom().size(); i++) {
            ContactPoint cp = r.getTelecom().get(i);
            String value = blankToNull(cp.getValue());
            if (value != null && cp.getSystem() == ContactPoint.ContactPointSystem.PHONE && phone == null) {
                phone = value;
                phoneAt = i;
            } else if (value != null && cp.getSystem() == ContactPoint.ContactPointSystem.EMAIL && email == null) {
                email = value;
                emailAt = i;
            }
        }
        String address = null;
        if (r.hasAddress()) {
            var a = r.getAddressFirstRep();
            address = blankToNull(a.getText());
            if (address == null) {
                List<String> parts = new ArrayList<>();
                a.getLine().forEach(l -> addIfText(parts, l.getValue()));
                addIfText(parts, a.getCity());
                addIfText(parts, a.getState());
                addIfText(parts, a.getPostalCode());
                addIfText(parts, a.getCountry());
                address = parts.isEmpty() ? null : String.join(", ", parts);
            }
        }
        Patch<Long> organization = Patch.absent();
        if (r.hasManagingOrganization()) {
            Matcher m = ORGANIZATION.matcher(String.valueOf(r.getManagingOrganization().getReference()));
            if (m.matches()) {
                organization = Patch.of(Long.parseLong(m.group(1)));
            } else {
                issues.add(issue("managingOrganization", "must reference an organization of this server: Organization/{id}"));
            }
        }
        PatientRequest request = new PatientRequest(Patch.of(name), Patch.absent(), Patch.of(gender), Patch.of(address),
                Patch.of(phone), Patch.of(email), Patch.absent(), organization, Patch.absent(), Patch.of(birthDate),
                Patch.of(family), Patch.of(given == null || given.isEmpty() ? null : given), Patch.of(identifiers));
        final int nameAt = Math.max(n, 0);
        final int phoneIndex = phoneAt;
        final int emailIndex = emailAt;
        UnaryOperator<String> paths = field -> patientPath(field, nameAt, identifierIndex, phoneIndex, emailIndex);
        validate(validator, request, replace, paths, issues);
        if (!issues.isEmpty()) {
            throw new FhirInvalid(422, issues);
        }
        return new Mapped<>(request, paths);
    }

    /** A REST field of the patient record as the FHIR element it came from. */
    static String patientPath(String field, int name, List<Integer> identifiers, int phone, int email) {
        Matcher m = Pattern.compile("(\\w+)(?:\\[(\\d+)])?(?:\\.(.*))?").matcher(field == null ? "" : field);
        if (!m.matches()) {
            return null;
        }
        String head = m.group(1);
        Integer index = m.group(2) == null ? null : Integer.valueOf(m.group(2));
        String rest = m.group(3) == null ? "" : "." + m.group(3);
        return switch (head) {
            case "name" -> "name[" + name + "]";
            case "familyName" -> "name[" + name + "].family";
            case "givenNames" -> "name[" + name + "].given" + (index == null ? "" : "[" + index + "]");
            case "gender" -> "gender";
            case "birthDate", "age" -> "birthDate";
            case "identifiers" -> index == null || index >= identifiers.size() ? "identifier"
                    : "identifier[" + identifiers.get(index) + "]" + rest;
            case "phone" -> phone < 0 ? "telecom" : "telecom[" + phone + "].value";
            case "email" -> email < 0 ? "telecom" : "telecom[" + email + "].value";
            case "address" -> "address[0]";
            case "organizationId" -> "managingOrganization";
            default -> null;
        };
    }

    // ---------------------------------------------------------------- Condition

    /**
     * A Condition as a {@link ConditionRequest}: the first coding in ICD-10-CM or SNOMED CT is the
     * code (other codings are not kept), {@code code.text} the text, the first category of ours the
     * category, onset/abatement dateTimes their dates as written, {@code recordedDate} the time it
     * was recorded. US Core wants a code and a category; FHIR's con-4 an inactive, remission or
     * resolved clinical status when there is an abatement.
     */
    static MappedCondition condition(Condition r, boolean replace, Validator validator) {
        List<FhirInvalid.Issue> issues = new ArrayList<>();
        String subject = r.hasSubject() ? blankToNull(r.getSubject().getReference()) : null;
        if (subject == null) {
            issues.add(issue("subject", "is required: a reference to the Patient (Patient/{id})"));
        }
        ConditionCode code = null;
        String text = null;
        int coding = -1;
        if (!r.hasCode()) {
            issues.add(issue("code", "is required (US Core)"));
        } else {
            CodeableConcept cc = r.getCode();
            text = blankToNull(cc.getText());
            for (int i = 0; i < cc.getCoding().size() && coding < 0; i++) {
                String system = cc.getCoding().get(i).getSystem();
                if (Codes.ICD10CM.equals(system) || Codes.SNOMED.equals(system)) {
                    coding = i;
                }
            }
            if (coding >= 0) {
                Coding c = cc.getCoding().get(coding);
                code = new ConditionCode(c.getSystem(), c.getCode(), blankToNull(c.getDisplay()));
            } else if (cc.hasCoding()) {
                issues.add(issue("code.coding[0].system", "must be " + Codes.ICD10CM + " or " + Codes.SNOMED));
            } else if (text == null) {
                issues.add(issue("code", "needs a coding (ICD-10-CM or SNOMED CT) or a text"));
            }
        }
        String category = null;
        int categoryAt = 0;
        if (!r.hasCategory()) {
            issues.add(issue("category", "is required (US Core): problem-list-item, encounter-diagnosis or health-concern"));
        } else {
            for (int k = 0; k < r.getCategory().size() && category == null; k++) {
                for (Coding c : r.getCategory().get(k).getCoding()) {
                    String found = category(c);
                    if (found != null) {
                        category = found;
                        categoryAt = k;
                        break;
                    }
                }
            }
            if (category == null) {
                issues.add(issue("category[0]", "must be problem-list-item or encounter-diagnosis (" + CATEGORY_SYSTEM
                        + ") or health-concern (" + US_CORE_CATEGORY_SYSTEM + ")"));
            }
        }
        String clinical = status(r.hasClinicalStatus() ? r.getClinicalStatus() : null, CLINICAL_SYSTEM, CLINICAL,
                "clinicalStatus", issues);
        String verification = status(r.hasVerificationStatus() ? r.getVerificationStatus() : null, VERIFICATION_SYSTEM,
                VERIFICATION, "verificationStatus", issues);
        LocalDate onset = date(r.hasOnset() ? r.getOnset() : null, "onset", issues);
        LocalDate abatement = date(r.hasAbatement() ? r.getAbatement() : null, "abatement", issues);
        if (abatement != null && (clinical == null || !ABATED.contains(clinical))) {
            issues.add(issue("clinicalStatus", "must be inactive, remission or resolved when there is an abatement (con-4)"));
        }
        Patch<Instant> recordedAt = Patch.absent();
        if (r.hasRecordedDateElement() && r.getRecordedDateElement().getValue() != null) {
            DateTimeType recorded = r.getRecordedDateElement();
            if (recorded.getPrecision().ordinal() < TemporalPrecisionEnum.DAY.ordinal()) {
                issues.add(issue("recordedDate", "must be at least a full date"));
            } else {
                recordedAt = Patch.of(recorded.getPrecision() == TemporalPrecisionEnum.DAY
                        ? fullDate(recorded).atStartOfDay().toInstant(ZoneOffset.UTC)
                        : recorded.getValue().toInstant());
            }
        }
        ConditionRequest request = new ConditionRequest(Patch.of(code), Patch.of(text), Patch.of(category),
                Patch.of(clinical), Patch.of(verification), Patch.of(onset), Patch.of(abatement), recordedAt);
        final int codingAt = Math.max(coding, 0);
        final int categoryIndex = categoryAt;
        UnaryOperator<String> paths = field -> conditionPath(field, codingAt, categoryIndex);
        validate(validator, request, replace, paths, issues);
        if (!issues.isEmpty()) {
            throw new FhirInvalid(422, issues);
        }
        return new MappedCondition(request, subject, paths);
    }

    static String conditionPath(String field, int coding, int category) {
        if (field == null) {
            return null;
        }
        return switch (field) {
            case "code" -> "code";
            case "code.system" -> "code.coding[" + coding + "].system";
            case "code.code" -> "code.coding[" + coding + "].code";
            case "code.display" -> "code.coding[" + coding + "].display";
            case "text" -> "code.text";
            case "category" -> "category[" + category + "]";
            case "clinicalStatus" -> "clinicalStatus";
            case "verificationStatus" -> "verificationStatus";
            case "onsetDate" -> "onset";
            case "abatementDate" -> "abatement";
            case "recordedAt" -> "recordedDate";
            default -> null;
        };
    }

    private static String category(Coding c) {
        String code = c.getCode();
        if (CATEGORY_SYSTEM.equals(c.getSystem()) && ("problem-list-item".equals(code) || "encounter-diagnosis".equals(code))) {
            return code;
        }
        if ((US_CORE_CATEGORY_SYSTEM.equals(c.getSystem()) || CATEGORY_SYSTEM.equals(c.getSystem())) && "health-concern".equals(code)) {
            return code;
        }
        return null;
    }

    /** A status CodeableConcept's code in its system, or null when absent; anything else is an issue. */
    private static String status(CodeableConcept cc, String system, Set<String> codes, String path, List<FhirInvalid.Issue> issues) {
        if (cc == null) {
            return null;
        }
        for (Coding c : cc.getCoding()) {
            if (system.equals(c.getSystem()) && codes.contains(c.getCode())) {
                return c.getCode();
            }
        }
        issues.add(issue(path, "must be a coding of " + system + ": " + String.join(", ", codes.stream().sorted().toList())));
        return null;
    }

    /** onset[x]/abatement[x]: a dateTime of at least a day, kept as the date written (its own offset). */
    private static LocalDate date(org.hl7.fhir.r4.model.Type value, String path, List<FhirInvalid.Issue> issues) {
        if (value == null) {
            return null;
        }
        if (value instanceof DateTimeType dt && dt.getValue() != null) {
            LocalDate d = fullDate(dt);
            if (d != null) {
                return d;
            }
        }
        issues.add(issue(path, "only a dateTime with at least a full date is kept (" + path + "DateTime)"));
        return null;
    }

    // ---------------------------------------------------------------- shared

    /** Bean Validation of the request, as the REST API's body reader runs it, each violation at its FHIR element. */
    private static <R> void validate(Validator validator, R request, boolean replace, UnaryOperator<String> paths,
            List<FhirInvalid.Issue> issues) {
        for (ConstraintViolation<R> v : validator.validate(request, replace ? OnUpdate.class : OnCreate.class)) {
            String path = paths.apply(field(v.getPropertyPath()));
            // An element already reported (a name that is missing) is not reported again from the record's side.
            boolean known = path != null && issues.stream().anyMatch(i -> i.path() != null && (path.equals(i.path())
                    || path.startsWith(i.path() + "[") || path.startsWith(i.path() + ".")));
            if (!known) {
                issues.add(new FhirInvalid.Issue(path, v.getMessage()));
            }
        }
    }

    /** A violation's path in the REST body's terms: {@code identifiers[0].system}, {@code givenNames[1]}. */
    static String field(Path path) {
        StringBuilder sb = new StringBuilder();
        for (Path.Node node : path) {
            if (node.getIndex() != null) {
                sb.append('[').append(node.getIndex()).append(']');
            }
            String name = node.getName();
            if (name != null && !name.isEmpty() && Character.isJavaIdentifierStart(name.charAt(0))) {
                if (!sb.isEmpty()) {
                    sb.append('.');
                }
                sb.append(name);
            }
        }
        return sb.toString();
    }

    /**
     * A REST API refusal of a field (the service's own rules: an age that disagrees, a code or a
     * text required ...) as the 422 of the FHIR element; any other refusal is left as it is.
     */
    static RuntimeException unprocessable(ApiException e, UnaryOperator<String> paths) {
        if (e.type() != Problem.Type.VALIDATION || e.errors() == null) {
            return e;
        }
        List<FhirInvalid.Issue> issues = new ArrayList<>();
        for (Problem.FieldError error : e.errors()) {
            issues.add(new FhirInvalid.Issue(paths.apply(error.field()), error.message()));
        }
        return new FhirInvalid(422, issues);
    }

    static LocalDate fullDate(BaseDateTimeType value) {
        String s = value.getValueAsString();
        if (s == null || s.length() < 10 || value.getPrecision().ordinal() < TemporalPrecisionEnum.DAY.ordinal()) {
            return null;
        }
        try {
            return LocalDate.parse(s.substring(0, 10));
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static FhirInvalid.Issue issue(String path, String message) {
        return new FhirInvalid.Issue(path, message);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static void addIfText(List<String> parts, String s) {
        if (s != null && !s.isBlank()) {
            parts.add(s.strip());
        }
    }
}
