/**
 * The reference DataProcessor's per-item work, as a task function. It runs on a pool
 * thread inside the caller's `data_processor.process_batch` context: no Ctx.attach.
 */
import { SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('data-processor');

export interface Item {
  id: number;
  type: string;
  value: number;
}

function transformData(item: Item): Item {
  return { ...item, value: item.value * 2 };
}

function validateData(item: Item): { ok: true } | { error: string } {
  return item.value > 0 ? { ok: true } : { error: 'invalid_value' };
}

function processItemWork(item: Item): Item {
  return tracer.startActiveSpan('data_processor.transform', (transformSpan) => {
    try {
      const transformed = transformData(item);
      return tracer.startActiveSpan('data_processor.validate', (validateSpan) => {
        try {
          const validation = validateData(transformed);
          if ('ok' in validation) {
            validateSpan.setStatus({ code: SpanStatusCode.OK });
            return transformed;
          }
          const error = new Error(`Validation failed: ${validation.error}`);
          validateSpan.setStatus({ code: SpanStatusCode.ERROR, message: validation.error });
          validateSpan.recordException(error);
          throw error;
        } finally {
          validateSpan.end();
        }
      });
    } finally {
      transformSpan.end();
    }
  });
}

export function processItem(item: Item): Item {
  return tracer.startActiveSpan('data_processor.process_item', (span) => {
    span.setAttributes({ item_id: item.id, item_type: item.type });
    try {
      return processItemWork(item);
    } finally {
      span.end();
    }
  });
}
