package org.acme.healthcare.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The scope rules on their own: what a client may hold, what a request is granted (asked ∩ held), what a token allows. */
class SmartScopesTest {
    @Test
    void onlySystemReadScopesOfFhirTypesMayBeHeld() {
        for (String bad : List.of("", "system/*.write", "system/*.cruds", "system/*.*", "system/Patient.rsx", "system/Patient.sr",
                "patient/*.rs", "system/Nope.rs", "system/*.rs?x=1", "system/*.rs\tsystem/*.read")) {
            assertThrows(SmartScopes.Invalid.class, () -> SmartScopes.registered(bad), bad);
        }
        assertEquals("system/*.rs system/Patient.read", assertDoesNotThrow("system/*.rs  system/Patient.read system/*.rs"));
    }

    private static String assertDoesNotThrow(String scope) {
        try {
            return SmartScopes.registered(scope);
        } catch (SmartScopes.Invalid e) {
            throw new AssertionError(scope, e);
        }
    }

    @Test
    void aGrantIsTheIntersectionAndNeverAWrite() throws Exception {
        assertEquals("system/Patient.rs", SmartScopes.grant("system/Patient.cruds", "system/*.rs"));
        assertEquals("system/Patient.r", SmartScopes.grant("system/Patient.rs", "system/Patient.r"));
        assertEquals("system/Patient.read", SmartScopes.grant("system/*.read", "system/Patient.rs"));
        assertEquals("system/Patient.r", SmartScopes.grant("system/*.read", "system/Patient.r"));
        assertEquals("system/*.read", SmartScopes.grant("system/*.*", "system/*.rs"));
        assertEquals("system/Patient.rs", SmartScopes.grant("system/Patient.r system/Patient.s", "system/*.rs"));
        assertThrows(SmartScopes.Invalid.class, () -> SmartScopes.grant("system/Patient.write", "system/*.rs"));
        assertThrows(SmartScopes.Invalid.class, () -> SmartScopes.grant("system/Condition.rs", "system/Patient.rs"));
        assertThrows(SmartScopes.Invalid.class, () -> SmartScopes.grant("system/Patient.rs offline_access", "system/*.rs"));
    }

    @Test
    void aTokenAllowsWhatItsScopesSay() {
        var scopes = SmartScopes.granted("system/Patient.r system/Condition.s");
        assertTrue(SmartScopes.allowing(scopes, "Patient", 'r').isPresent());
        assertFalse(SmartScopes.allowing(scopes, "Patient", 's').isPresent());
        assertTrue(SmartScopes.allowing(scopes, "Condition", 's').isPresent());
        assertFalse(SmartScopes.allowing(scopes, "Condition", 'r').isPresent());
        assertFalse(SmartScopes.allowing(scopes, "Practitioner", 'r').isPresent());
        assertTrue(SmartScopes.allowing(SmartScopes.granted("system/*.read"), "Practitioner", 's').isPresent());
    }
}
