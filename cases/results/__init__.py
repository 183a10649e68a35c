"""Published results (结果公开) of licensing decisions: publication (``publishing``), withdrawal, the public reads
(``selectors``) and the public pages (``views``)."""
