package org.rmqts.matrix.spring;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Arrays;
import java.util.Map;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The bean (a class, or a {@code @Bean} method) exists only when scenario {@link #value()} is in the property
 * {@code matrix.scenarios} (comma-separated), so a run starts only the producers and listeners of the scenarios it
 * was asked for.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Conditional(OnScenario.ScenarioRequested.class)
public @interface OnScenario {
    String value();

    class ScenarioRequested implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Map<String, Object> attributes = metadata.getAnnotationAttributes(OnScenario.class.getName());
            String id = attributes == null ? null : (String) attributes.get("value");
            String requested = context.getEnvironment().getProperty("matrix.scenarios", "");
            return Arrays.asList(requested.split(",")).contains(id);
        }
    }
}
