package org.acme.healthcare.common.fuzz;

import static org.acme.healthcare.support.Api.as;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.acme.healthcare.common.fuzz.Operations.Op;
import org.acme.healthcare.support.Api;
import org.acme.healthcare.support.Api.TestUser;
import org.acme.healthcare.support.Tokens;

/**
 * What the fuzz test sends as and about: its accounts, their records, and the tokens it tries
 * (bad ones and good ones). Made once per run, before the first operation is fuzzed.
 */
final class Fixtures {

    record Auth(String name, String header, String value, boolean valid) {
    }

    final TestUser user;
    final TestUser other;
    final TestUser admin;
    /** The account PATCH /api/users/{id} is fuzzed on: a variant may disable it, so it is nobody else's. */
    final TestUser patched;
    /** The account POST /api/auth/password is fuzzed as: its wrong current passwords count as failed logins. */
    final TestUser changer;
    /** The account POST /api/auth/login is fuzzed with: its failures throttle it, never the fuzz user. */
    final TestUser loginUser;
    final long userPatient;
    final long otherPatient;
    final long userDoctor;
    final long otherDoctor;
    final long otherMapping;
    /** The fuzz user's organization (its admin), with {@link #other} as a clinician; and one it is not in. */
    final long userOrg;
    final long otherOrg;
    final Auth userAuth;
    final Auth adminAuth;
    /** Every token a variant is sent with, bad ones first. */
    final List<Auth> auths = new ArrayList<>();

    Fixtures(Random rnd) {
        user = Api.newUser();
        other = Api.newUser();
        admin = Api.admin();
        patched = Api.newUser();
        changer = Api.newUser();
        loginUser = Api.newUser();
        // With a disease: its FHIR Condition (d{id}) is a record to read.
        userPatient = as(user).body(Map.of("name", "Fuzz Patient", "disease", "Fuzz fever")).post("/api/patients")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        otherPatient = Api.createPatient(other, "Other Patient");
        userDoctor = Api.createDoctor(user, "Dr. Fuzz", "Fuzzology");
        otherDoctor = Api.createDoctor(other, "Dr. Other", "Elsewhere");
        otherMapping = as(other).body(Map.of("patientId", otherPatient, "doctorId", otherDoctor)).post("/api/mappings")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        userOrg = createOrg(user, "Fuzz Clinic");
        joinOrg(userOrg, other);
        otherOrg = createOrg(other, "Other Clinic");
        userAuth = new Auth("user", "Authorization", "Bearer " + user.token(), true);
        adminAuth = new Auth("admin", "Authorization", "Bearer " + admin.token(), true);
        String marker = Variants.marker(rnd);
        auths.add(new Auth("none", null, null, false));
        auths.add(new Auth("bearer-empty", "Authorization", "Bearer ", false));
        auths.add(new Auth("garbage", "Authorization", "Bearer not-a-jwt", false));
        auths.add(new Auth("three-dots", "Authorization", "Bearer a.b.c", false));
        auths.add(new Auth("basic", "Authorization", "Basic dXNlcjpwYXNzd29yZA==", false));
        auths.add(new Auth("expired", "Authorization", "Bearer " + Tokens.expired(user.id()), false));
        auths.add(new Auth("alg-none-user", "Authorization", "Bearer " + Tokens.algNone(user.id(), "user"), false));
        auths.add(new Auth("alg-none-admin", "Authorization", "Bearer " + Tokens.algNone(admin.id(), "admin"), false));
        auths.add(new Auth("wrong-key", "Authorization", "Bearer " + Tokens.otherKey(user.id()), false));
        auths.add(new Auth("other-issuer", "Authorization", "Bearer " + Tokens.otherIssuer(user.id()), false));
        auths.add(new Auth("tampered-to-admin", "Authorization", "Bearer " + Tokens.tampered(user.token()), false));
        auths.add(new Auth("marker-token", "Authorization", "Bearer " + marker + ".e30.", false));
        auths.add(new Auth("long-garbage-6k", "Authorization", "Bearer " + Variants.randomAscii(rnd, 6 * 1024), false));
        auths.add(new Auth("legacy-garbage", "x-access-token", "garbage", false));
        auths.add(new Auth("legacy-expired", "x-access-token", Tokens.expired(user.id()), false));
        auths.add(userAuth);
        auths.add(new Auth("legacy-user", "x-access-token", user.token(), true));
        auths.add(adminAuth);
    }

    private long freshPatient() {
        return Api.createPatient(user, "Fuzz Fresh");
    }

    private long freshDoctor() {
        return Api.createDoctor(user, "Dr. Fresh", "Fuzz");
    }

    private long freshMapping() {
        long doctor = freshDoctor();
        return as(user).body(Map.of("patientId", userPatient, "doctorId", doctor)).post("/api/mappings")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private static long createOrg(TestUser admin, String name) {
        return as(admin).body(Map.of("name", name)).post("/api/organizations")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    private void joinOrg(long org, TestUser member) {
        String code = as(user).body(Map.of("role", "clinician")).post("/api/organizations/" + org + "/invitations")
                .then().statusCode(201).extract().jsonPath().getString("code");
        as(member).body(Map.of("code", code)).post("/api/invitations/accept").then().statusCode(200);
    }

    private long condition(long patient) {
        return as(user).body(Map.of("text", "Fuzz condition")).post("/api/patients/" + patient + "/conditions")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    /** An organization of the fuzz user's to delete, or to remove {@link #other} from. */
    private long freshOrg(boolean withOther) {
        long org = createOrg(user, "Fuzz Fresh Clinic");
        if (withOther) {
            joinOrg(org, other);
        }
        return org;
    }

    /** A valid id for this path parameter: the fuzz user's own record (a fresh one when it is to be deleted). */
    String validId(Op op, String param) {
        String t = op.template();
        if (param.equals("version") || param.equals("vid")) {
            return "0"; // a patient's history: every record has its version 0
        }
        boolean fhirWrite = op.method().equals("PUT") || op.method().equals("DELETE");
        if (t.startsWith("/fhir/Patient/")) {
            // A FHIR update or delete gets a record of its own, at version 0 (W/"1" is then stale).
            return String.valueOf(fhirWrite ? freshPatient() : userPatient);
        }
        if (t.startsWith("/fhir/Practitioner/")) {
            return String.valueOf(userDoctor);
        }
        if (t.startsWith("/fhir/Organization/")) {
            return String.valueOf(userOrg);
        }
        if (t.startsWith("/fhir/Condition/")) {
            return fhirWrite ? String.valueOf(condition(userPatient)) : "d" + userPatient;
        }
        boolean delete = op.method().equals("DELETE");
        if (param.equals("cid")) {
            return String.valueOf(condition(userPatient)); // a fresh condition of the fuzz user's patient
        }
        if (t.startsWith("/api/patients/{id}/conditions")) {
            return String.valueOf(userPatient); // a DELETE there deletes the condition, not the patient
        }
        if (t.startsWith("/api/patients/")) {
            return String.valueOf(delete ? freshPatient() : userPatient);
        }
        if (t.startsWith("/api/doctors/")) {
            return String.valueOf(delete ? freshDoctor() : userDoctor);
        }
        if (t.startsWith("/api/mappings/")) {
            return String.valueOf(delete ? freshMapping() : userPatient);
        }
        if (t.startsWith("/api/users/")) {
            return String.valueOf(patched.id());
        }
        if (t.startsWith("/api/organizations/")) {
            if (param.equals("clientId")) {
                // A system client of the fuzz user's organization, of its own to revoke.
                return org.acme.healthcare.support.SmartClients.register(user, userOrg, "system/*.rs").clientId();
            }
            if (param.equals("userId")) {
                return String.valueOf(other.id()); // a clinician of the fuzz user's organizations
            }
            boolean members = t.endsWith("/members/{userId}");
            return String.valueOf(delete && (members || t.equals("/api/organizations/{id}")) ? freshOrg(members) : userOrg);
        }
        if (t.startsWith("/api/auth/sessions/")) {
            return String.valueOf(sessionOf(Api.login(user.email(), Api.PASSWORD))); // a session of its own to end
        }
        return "1";
    }

    private static long sessionOf(String token) {
        return Long.parseLong(new io.restassured.path.json.JsonPath(Tokens.payloadJson(token)).getString("sid"));
    }

    /**
     * Logging out ends the session of the token that asks: a valid token gets there as a fresh
     * session of the same account, so the fixtures' sessions live through the sweep. A password
     * change is sent as an account of its own (its failures must not throttle the fuzz user).
     */
    Auth forOperation(Op op, Auth auth) {
        if (auth == null || !auth.valid()) {
            return auth;
        }
        if (op.template().equals("/api/auth/password")) {
            return new Auth(auth.name(), auth.header(), auth.value().startsWith("Bearer ") ? "Bearer " + changer.token()
                    : changer.token(), true);
        }
        if (!op.template().equals("/api/auth/logout")) {
            return auth;
        }
        TestUser who = auth == adminAuth ? admin : user;
        String fresh = Api.login(who.email(), who == admin ? Api.ADMIN_PASSWORD : Api.PASSWORD);
        return new Auth(auth.name(), auth.header(), auth.value().startsWith("Bearer ") ? "Bearer " + fresh : fresh, true);
    }

    /** Another user's record, and what the fuzz user must get for it: {id, expected status}. */
    String[] othersRecord(Op op, String param) {
        String t = op.template();
        String m = op.method();
        if (param.equals("version") || param.equals("vid")) {
            return new String[] { String.valueOf(otherPatient), "" }; // a version number, not a record id
        }
        if (t.startsWith("/fhir/Patient/")) {
            return new String[] { String.valueOf(otherPatient), "404" };
        }
        if (t.startsWith("/fhir/Practitioner/")) {
            return new String[] { String.valueOf(otherDoctor), "200" };
        }
        if (t.startsWith("/fhir/Organization/")) {
            return new String[] { String.valueOf(otherOrg), "404" };
        }
        if (t.startsWith("/fhir/Condition/")) {
            if (m.equals("PUT") || m.equals("DELETE")) {
                long theirs = as(other).body(Map.of("text", "Fuzz condition")).post("/api/patients/" + otherPatient + "/conditions")
                        .then().statusCode(201).extract().jsonPath().getLong("id");
                // A PUT names its patient in the body (the fuzz user's): that patient has no such condition.
                return new String[] { String.valueOf(theirs), "404" };
            }
            return new String[] { "d" + otherPatient, "404" };
        }
        if (t.endsWith("/history") && m.equals("DELETE")) {
            return new String[] { String.valueOf(otherPatient), "403" }; // the erasure is admin only
        }
        if (param.equals("cid")) {
            // Another user's condition under the fuzz user's own patient: no such condition there. Never a
            // patient id, which may equal one of the fuzz user's condition ids on a fresh database.
            long theirs = as(other).body(Map.of("text", "Fuzz condition")).post("/api/patients/" + otherPatient + "/conditions")
                    .then().statusCode(201).extract().jsonPath().getLong("id");
            return new String[] { String.valueOf(theirs), "404" };
        }
        if (t.startsWith("/api/patients/")) {
            return new String[] { String.valueOf(otherPatient), "404" };
        }
        if (t.startsWith("/api/mappings/")) {
            return m.equals("DELETE") ? new String[] { String.valueOf(otherMapping), "404" }
                    : new String[] { String.valueOf(otherPatient), "404" };
        }
        if (t.startsWith("/api/doctors/")) {
            return new String[] { String.valueOf(otherDoctor), m.equals("GET") ? "200" : "403" };
        }
        if (t.startsWith("/api/users/")) {
            return new String[] { String.valueOf(other.id()), "403" };
        }
        if (param.equals("clientId")) {
            // A system client of another organization, under the fuzz user's own organization: no such client there.
            return new String[] { org.acme.healthcare.support.SmartClients.register(other, otherOrg, "system/*.rs").clientId(), "404" };
        }
        if (t.startsWith("/api/organizations/")) {
            // An organization the fuzz user is not in; in its own, someone who is not a member.
            return param.equals("userId") ? new String[] { String.valueOf(admin.id()), "404" }
                    : new String[] { String.valueOf(otherOrg), "404" };
        }
        if (t.startsWith("/api/auth/sessions/")) {
            return new String[] { String.valueOf(sessionOf(other.token())), "404" };
        }
        return new String[] { "1", "" };
    }
}
