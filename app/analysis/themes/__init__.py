"""Themes: recurring points in the free text of a question's answers, suggested by a local,
deterministic method (``method``), found by a background run (``runs``), reviewed by an analyst
(``review``) and reported in the summary of responses (``views``).

Nothing here sends text anywhere: the method uses scikit-learn, the word vectors shipped inside
the ``wordllama`` wheel and a small sentence model shipped as an ONNX file in a PyPI package
(``vectors``), all loaded from the installed packages with downloads disabled.
"""
