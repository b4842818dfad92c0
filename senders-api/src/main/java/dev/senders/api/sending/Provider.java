package dev.senders.api.sending;

import jakarta.inject.Qualifier;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * CDI qualifier of an {@link EmailProvider} implementation, so a host can inject a specific one:
 * {@code @Inject @Provider(ProviderName.SES) EmailProvider ses;}. Most hosts use {@link EmailProviderFactory}.
 */
@Qualifier
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER})
public @interface Provider {

    ProviderName value();

    /** For {@code Instance.select(...)}. */
    final class Literal extends jakarta.enterprise.util.AnnotationLiteral<Provider> implements Provider {
        private static final long serialVersionUID = 1L;
        private final ProviderName value;

        public Literal(ProviderName value) {
            this.value = value;
        }

        @Override
        public ProviderName value() {
            return value;
        }
    }
}
