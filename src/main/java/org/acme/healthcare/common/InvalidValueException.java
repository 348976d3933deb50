package org.acme.healthcare.common;

/**
 * Thrown while reading a JSON value whose message is safe to show the client as-is (it names
 * the accepted values and never repeats the rejected one).
 */
public class InvalidValueException extends IllegalArgumentException {
    public InvalidValueException(String message) {
        super(message);
    }
}
