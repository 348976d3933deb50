package org.acme.healthcare.user;

import static org.acme.healthcare.support.Api.PASSWORD;
import static org.acme.healthcare.support.Api.assertProblem;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.quarkus.test.junit.QuarkusTest;

/** Lookalike emails: NFKC, trim, lower case; invisible and control characters refused. */
@QuarkusTest
class EmailTest {

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
