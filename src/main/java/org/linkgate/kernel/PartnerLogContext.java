package org.linkgate.kernel;

import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.springframework.stereotype.Component;

/**
 * Puts the partner code of the exchange (header {@code LinkgateCouncil} or
 * {@code LinkgateDepartment}, set first thing by every partner route) into the MDC while each
 * step of the route runs (and, once the inbound lifecycle has claimed a file, its id: header
 * {@code LinkgateFileId}), so every log line of a partner's route names the partner. Camel picks
 * up intercept strategies that are Spring beans.
 */
@Component
public class PartnerLogContext implements InterceptStrategy {

    @Override
    public Processor wrapProcessorInInterceptors(CamelContext context, NamedNode definition, Processor target,
                                                 Processor nextTarget) {
        return new DelegateAsyncProcessor(target) {
            @Override
            public boolean process(Exchange exchange, AsyncCallback callback) {
                String partner = exchange.getIn().getHeader(PartnerHeaders.COUNCIL, String.class);
                if (partner == null) {
                    partner = exchange.getIn().getHeader(PartnerHeaders.DEPARTMENT, String.class);
                }
                if (partner == null) {
                    return processor.process(exchange, callback);
                }
                String fileId = exchange.getIn().getHeader(PartnerHeaders.FILE_ID, String.class);
                try (LogContext.Scope scope = new LogContext.Scope(LogContext.PARTNER, partner);
                     LogContext.Scope file = fileId == null ? null : LogContext.fileId(fileId)) {
                    return processor.process(exchange, callback);
                }
            }
        };
    }
}
