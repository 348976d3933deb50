package org.acme.healthcare.user;

import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/** Lookalike emails: NFKC, trim, lower case; invisible and control characters refused; TR39 confusables taken. */
@QuarkusTest
class EmailTest {
    @Inject
    AdminBootstrap bootstrap;

    private static String unique() {
        return "alice-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @ParameterizedTest
    @ValueSource(strings = { "\u200B", "\u00A0", "\u200D", "\uFEFF", "\u2060", "\u0000", "\u0007", "\u001F", "\u202E", "\uFE0F",
            // every bidirectional control: embeddings and overrides, isolates
            "\u202A", "\u202B", "\u202C", "\u202D", "\u2066", "\u2067", "\u2068", "\u2069" })
    void anEmailWithAnInvisibleOrControlCharacterIsRefused(String invisible) {
        String local = unique();
        assertProblem(PasswordTest.register(local + invisible + "@x.test", PASSWORD), 400).body("errors.field", hasItem("email"));
        assertProblem(PasswordTest.register(local.substring(0, 3) + invisible + local.substring(3) + "@x.test", PASSWORD), 400)
                .body("errors.field", hasItem("email"));
        assertProblem(PasswordTest.login(local + invisible + "@x.test", PASSWORD), 400);
    }

    /** The body of a 409 for an email that is taken, without the parts that differ per request. */
    private static Map<String, Object> conflictBody(String email) {
        Map<String, Object> body = new HashMap<>(assertProblem(PasswordTest.register(email, PASSWORD), 409)
                .extract().jsonPath().getMap(""));
        body.keySet().removeAll(Set.of("requestId", "correlationId"));
        return body;
    }

    @Test
    void aLookAlikeOfAnExistingEmailIsTakenWithTheSameAnswerAsTheEmailItself() {
        String local = unique();
        String email = local + "@example.org";
        PasswordTest.register(email, PASSWORD).statusCode(201);
        Map<String, Object> duplicate = conflictBody(email);
        // Cyrillic а (U+0430) for the Latin a: the review's case.
        assertEquals(duplicate, conflictBody("\u0430" + local.substring(1) + "@example.org"));
        // Cyrillic с (U+0441) for c, Cyrillic і (U+0456) for i, 1 for l.
        assertEquals(duplicate, conflictBody("ali\u0441e" + local.substring(5) + "@example.org"));
        assertEquals(duplicate, conflictBody("al\u0456ce" + local.substring(5) + "@example.org"));
        assertEquals(duplicate, conflictBody("a1ice" + local.substring(5) + "@example.org"));
        // Fullwidth and upper-case forms of a look-alike: NFKC and lower case first, then the skeleton.
        assertEquals(duplicate, conflictBody("\uFF41LI\u0421E" + local.substring(5).toUpperCase() + "@EXAMPLE.ORG"));
        // A look-alike is not the account: it cannot log in to it.
        assertProblem(PasswordTest.login("\u0430" + local.substring(1) + "@example.org", PASSWORD), 401);
        PasswordTest.login(email, PASSWORD).statusCode(200).body("user.email", equalTo(email));
    }

    @Test
    void theLookAlikeRegisteredFirstHoldsTheSkeleton() {
        String tail = "allory-" + UUID.randomUUID().toString().substring(0, 8) + "@x.test";
        PasswordTest.register("rn" + tail, PASSWORD).statusCode(201); // rn looks like m
        assertProblem(PasswordTest.register("m" + tail, PASSWORD), 409);
        String cyrillicFirst = "\u0430" + unique().substring(1) + "@x.test";
        PasswordTest.register(cyrillicFirst, PASSWORD).statusCode(201);
        assertProblem(PasswordTest.register("a" + cyrillicFirst.substring(1), PASSWORD), 409);
    }

    @Test
    void emailsThatOnlyShareLettersAreStillDifferentAccounts() {
        String local = unique();
        PasswordTest.register(local + "@example.org", PASSWORD).statusCode(201);
        PasswordTest.register(local + "x@example.org", PASSWORD).statusCode(201);
        PasswordTest.register(local + "@example.net", PASSWORD).statusCode(201);
        PasswordTest.register("b" + local.substring(1) + "@example.org", PASSWORD).statusCode(201);
        // Cyrillic is not refused as such: an account with no Latin look-alike registers.
        PasswordTest.register("\u0436\u0443\u043A-" + local + "@example.org", PASSWORD).statusCode(201);
    }

    @Test
    void theConfiguredAdminEmailCannotBeALookAlikeOfAnExistingAccount() {
        String local = unique();
        long id = PasswordTest.register(local + "@x.test", PASSWORD).statusCode(201).extract().jsonPath().getLong("id");
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> bootstrap.existingAdmin(Emails.normalize("\u0430" + local.substring(1) + "@x.test")));
        assertTrue(refused.getMessage().contains("(user id " + id + ")"), refused.getMessage());
        assertFalse(refused.getMessage().contains(local), "names the id, never the email");
    }

    @Test
    void theSkeletonIsUnicodeTr39s() {
        assertEquals(Emails.skeleton("alice@example.org"), Emails.skeleton("\u0430lice@example.org"));
        assertEquals(Emails.skeleton("modern@x.test"), Emails.skeleton("rnodern@x.test"));
        assertNotEquals(Emails.skeleton("alice@example.org"), Emails.skeleton("alicia@example.org"));
        assertNull(Emails.skeleton(null));
    }

    @Test
    void fullwidthAndCaseFormsAreTheSameAccount() {
        String local = unique();
        PasswordTest.register(local + "@x.test", PASSWORD).statusCode(201).body("email", equalTo(local + "@x.test"));
        String fullwidth = "\uFF41" + local.substring(1); // ａlice-…
        assertProblem(PasswordTest.register(fullwidth + "@x.test", PASSWORD), 409);
        assertProblem(PasswordTest.register(local.toUpperCase() + "@X.TEST", PASSWORD), 409);
        PasswordTest.login(fullwidth + "@ｘ.test", PASSWORD).statusCode(200).body("user.email", equalTo(local + "@x.test"));
    }

    @Test
    void composedAndDecomposedFormsAreTheSameAccount() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String nfc = "m\u00E4x-" + suffix + "@x.test";
        String nfd = "ma\u0308x-" + suffix + "@x.test";
        PasswordTest.register(nfc, PASSWORD).statusCode(201).body("email", equalTo(nfc));
        assertProblem(PasswordTest.register(nfd, PASSWORD), 409);
        PasswordTest.login(nfd, PASSWORD).statusCode(200);
    }

    @Test
    void leadingAndTrailingNoBreakSpacesAreTrimmed() {
        String email = unique() + "@x.test";
        PasswordTest.register("\u00A0" + email + "\u3000", PASSWORD).statusCode(201).body("email", equalTo(email));
    }

    @Test
    void canonicalRemovesInvisibleCharactersForStoredEmails() {
        assertEquals("alice@x.test", Emails.canonical("ALI\u200BCE@x.test"));
        assertEquals("alice@x.test", Emails.canonical(" \uFF41lice@X.test"));
        assertTrue(Emails.isVisible(Emails.canonical("a\u00A0b@x.test")));
        assertFalse(Emails.isVisible("a\u00A0b@x.test"));
    }
}
