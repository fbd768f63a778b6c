package clp4j.engine.autodiff;

import clp4j.engine.backend.Backend;
import clp4j.engine.backend.ReferenceBackend;
import clp4j.engine.backend.TorchGolden;
import clp4j.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small T5-like block (embedding, RMS norm, multi-head attention with bias and mask, CLP-mixed output
 * projection, gated gelu_new feed-forward, tied logits, cross-entropy and extra terms touching the other
 * ops) built with {@link F}; the loss and every parameter gradient must match PyTorch's autograd
 * ({@code fixtures/make_torch_golden.py}). Subclasses may swap the backend.
 */
public class TorchGoldenTest {
    private static final int B = 2, T = 3, D = 8, H = 2, V = 11;

    protected Backend backend() { return new ReferenceBackend(); }

    private Tensor heads(Tensor x) {
        return F.permute(F.reshape(x, B, T, H, D / H), 0, 2, 1, 3);
    }

    @Test
    public void lossAndEveryGradientMatchPytorch() {
        Backend be = backend();
        TorchGolden golden = TorchGolden.load();
        Map<String, Tensor> p = new LinkedHashMap<>();
        for (String name : new String[]{"E", "w_ln", "Wq", "Wk", "Wv", "bias", "Wo0", "Wo1", "Wi0", "Wi1", "Wff", "w_fin"}) {
            p.put(name, golden.tensor(be, name).requiresGrad(true));
        }
        Tensor woRef = golden.tensor(be, "WoRef");
        Tensor mask = golden.tensor(be, "mask");
        Tensor one = be.fromArray(new float[]{1f}, 1), three = be.fromArray(new float[]{3f}, 1);
        int[] ids = {3, 0, 10, 3, 7, 1};
        int[] targets = {4, -100, 2, 9, 9, 0};

        try (TensorScope _ = TensorScope.open()) {
            Tensor h = F.reshape(F.embedding(p.get("E"), ids), B, T, D);
            Tensor n = F.rmsNorm(h, p.get("w_ln"), 1e-6f);
            Tensor q = heads(F.linear(n, p.get("Wq"))), k = heads(F.linear(n, p.get("Wk"))), v = heads(F.linear(n, p.get("Wv")));
            Tensor scores = F.add(F.matmul(q, false, k, true), p.get("bias"));
            Tensor attn = F.softmax(scores, mask);
            Tensor ctx = F.reshape(F.permute(F.matmul(attn, false, v, false), 0, 2, 1, 3), B, T, D);
            Tensor wo = F.mix(new Tensor[]{p.get("Wo0"), p.get("Wo1")}, new float[]{0.3f, 0.7f}, 0.2f, woRef);
            Tensor o = F.linear(ctx, wo);
            Tensor g = F.mul(F.geluNew(F.linear(o, p.get("Wi0"))), F.linear(o, p.get("Wi1")));
            Tensor h2 = F.add(h, F.linear(g, p.get("Wff")));
            Tensor logits = F.scale(F.linear(F.rmsNorm(h2, p.get("w_fin"), 1e-6f), p.get("E")), (float) Math.pow(D, -0.5));
            Tensor logits2 = F.reshape(logits, B * T, V);
            Tensor ce = F.crossEntropy(logits2, targets, -100);
            Tensor extra = F.add(F.scale(F.sum(F.maxLast(logits2)), 0.01f),
                    F.scale(F.sum(F.meanLast(F.tanh(F.logSoftmax(logits2, null)))), 0.05f));
            extra = F.add(extra, F.scale(F.sum(F.exp(F.relu(ctx))), 0.1f / 100));
            extra = F.add(extra, F.scale(F.sum(F.log(F.add(attn, one))), 0.1f));
            extra = F.sub(extra, F.scale(F.sum(F.div(o, three)), 1f / 7));
            Tensor loss = F.add(ce, extra);
            Autodiff.backward(loss);
            golden.assertMatches("ce", ce.toArray(), 1e-6, 1e-6);
            golden.assertMatches("loss", loss.toArray(), 1e-6, 1e-6);
        }
        for (Map.Entry<String, Tensor> e : p.entrySet()) {
            golden.assertMatches("grad_" + e.getKey(), e.getValue().grad().toArray(), 1e-4, 1e-6);
        }
    }
}
