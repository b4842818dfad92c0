package dev.senders.infrastructure.ses;

import jakarta.inject.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The SES client emails are sent with: the application's client, built with the sending configuration of
 * {@link dev.senders.infrastructure.sending.SesEmailSender#SENDING} (its own retry rules and rate-slot check).
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.FIELD, ElementType.PARAMETER, ElementType.TYPE})
public @interface SendingClient {
}
